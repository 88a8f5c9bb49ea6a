const { src, dest } = require('gulp');

// tsc emits only code: the icons and the nodes' codex files (*.node.json) are copied beside it, keeping their folders.
function copyAssets() {
	return src(['icons/*.svg', 'nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
