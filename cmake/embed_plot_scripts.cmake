# Turns scripts/plot/*.gp into a C table (sim/io/output/plotscripts.h) so that an
# installed ksim draws its plots without the source tree.
# cmake -DSCRIPT_DIR=<dir> -DOUT=<file.c> -P embed_plot_scripts.cmake
file(GLOB scripts "${SCRIPT_DIR}/*.gp")
list(SORT scripts)
set(body "/* Generated from the scripts in scripts/plot by cmake/embed_plot_scripts.cmake: do not edit. */\n")
string(APPEND body "#include \"sim/io/output/plotscripts.h\"\n\nconst struct plotscript plotscripts[] = {\n")
foreach(path ${scripts})
  get_filename_component(name "${path}" NAME_WE)
  file(READ "${path}" text)
  # C string escapes; '?' too, so that no "??x" trigraph forms in strict C11.
  string(REPLACE "\\" "\\\\" text "${text}")
  string(REPLACE "\"" "\\\"" text "${text}")
  string(REPLACE "?" "\\?" text "${text}")
  string(REPLACE "\t" "\\t" text "${text}")
  string(REPLACE "\n" "\\n\"\n     \"" text "${text}")
  string(APPEND body "    {\"${name}\",\n     \"${text}\"},\n")
endforeach()
string(APPEND body "    {0, 0},\n};\n")
# Rewrite only on change, so an unchanged script does not relink ksim.
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT "${old}" STREQUAL "${body}")
  file(WRITE "${OUT}" "${body}")
endif()
