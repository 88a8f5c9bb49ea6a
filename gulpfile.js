const { src, dest } = require('gulp');

/**
 * tsc emits only code: the icons, the nodes' codex files (*.node.json) and their output schemas (__schema__, which
 * n8n's editor and AI builder read beside the node's .js) are copied beside it as they are, keeping their folders.
 */
const assetGlobs = [
	'icons/*.svg',
	'nodes/**/*.{png,svg}',
	'nodes/**/*.node.json',
	'nodes/**/__schema__/**/*.json',
	'credentials/**/*.{png,svg}',
];

function copyAssets() {
	return src(assetGlobs, { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
exports.assetGlobs = assetGlobs;
