# stand-in package: see bench/reference_shim/README.md
