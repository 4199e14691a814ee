# Writes INPUT's bytes into OUTPUT as a C++ raw string literal named VAR,
# so the binary carries its data files and needs no install path.
file(READ ${INPUT} _content)
file(WRITE ${OUTPUT} "// Generated from ${INPUT}; do not edit.\nstatic const char ${VAR}[] = R\"tfperf_embed(${_content})tfperf_embed\";\n")
