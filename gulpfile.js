const { src, dest } = require('gulp');

// tsc emits only code: the node and credential icons are copied beside it, keeping their folders.
function buildIcons() {
	return src(['icons/*.svg', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
