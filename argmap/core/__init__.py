"""The core: model, files, anchoring, layout, commands. Never imports Qt."""
