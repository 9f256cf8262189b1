// Imported first by every entry point that may load onnxruntime-node (the CLI, the app, the
// inference process, the bench). onnxruntime 1.29+ starts a telemetry uploader on Linux and
// macOS that posts to mobile.events.data.microsoft.com (the privacy test caught its DNS lookups
// from the inference process). It reads this variable when it starts, so it is set before the
// runtime loads, in this process and, by inheritance, in every process this one starts. Forced
// to 1: Shoebox works offline and sends nothing anywhere, whatever the environment says.
process.env.ORT_DISABLE_TELEMETRY = '1';
