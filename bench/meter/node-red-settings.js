// Node-RED settings for the smart-meter benchmark (bench/meter/run.sh): headless (no editor, no HTTP
// nodes), on loopback, quiet; the function nodes reach `crypto` (MD5 of meter_id) and `fs` (the done
// marker) through the global context.
module.exports = {
  uiHost: '127.0.0.1',
  uiPort: Number(process.env.METER_PORT || 1880),
  httpAdminRoot: false,
  httpNodeRoot: false,
  disableEditor: true,
  credentialSecret: false,
  flowFilePretty: false,
  logging: { console: { level: 'warn', metrics: false, audit: false } },
  functionGlobalContext: { crypto: require('crypto'), fs: require('fs') },
  externalModules: { autoInstall: false, palette: { allowInstall: false }, modules: { allowInstall: false } },
  telemetry: { enabled: false },
  diagnostics: { enabled: false },
  runtimeState: { enabled: false },
};
