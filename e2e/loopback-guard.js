/**
 * Loaded into every n8n process of the e2e run (NODE_OPTIONS=--require): appends each outgoing TCP connection to
 * a host other than loopback to the file named by E2E_OUTBOUND_LOG, so the run can assert that n8n talked to
 * nobody but the sandbox and itself. It only records; the connection goes ahead (and fails: there is no internet).
 */
'use strict';
const fs = require('fs');
const net = require('net');

const logFile = process.env.E2E_OUTBOUND_LOG;
const loopback = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function (...args) {
	// net.connect hands over [options, callback] as one array; user code passes (options) or (port, host).
	const first = Array.isArray(args[0]) ? args[0][0] : args[0];
	const target =
		typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
	// As net.Socket decides: a `path` makes it a local (IPC) socket.
	if (logFile && !target.path && target.port !== undefined) {
		const host = typeof target.host === 'string' ? target.host : 'localhost';
		if (!loopback.has(host))
			fs.appendFileSync(logFile, `${host}:${target.port} (pid ${process.pid})\n`);
	}
	return connect.apply(this, args);
};
