# sluice_add_plugin(name SOURCES a.cpp b.cpp [OUTPUT_DIRECTORY dir] [INSTALL])
# Builds a plugin (processors and controller services): a shared library, libsluice_<name>.so, against the
# public SDK only (sluice::sdk), loaded by the engine with `--plugins DIR` or SLUICE_PLUGIN_PATH.
# INSTALL installs it into <prefix>/lib/sluice/plugins, where an engine installed in the same prefix finds it
# without options. Inside the sluice project, plugins built into the engine's plugin directory are installed
# without INSTALL (SLUICE_INSTALL_PLUGINS).
set(SLUICE_PLUGIN_INSTALL_DIR "lib/sluice/plugins")

function(sluice_add_plugin name)
  cmake_parse_arguments(ARG "INSTALL" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  add_library(${name} MODULE ${ARG_SOURCES})
  if(TARGET sluice::sdk)
    target_link_libraries(${name} PRIVATE sluice::sdk)
  else()
    target_link_libraries(${name} PRIVATE sluice_sdk)
  endif()
  # Only the manifest is exported: plugins never see each other's symbols.
  set_target_properties(${name} PROPERTIES PREFIX "libsluice_" CXX_VISIBILITY_PRESET hidden)
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  elseif(DEFINED SLUICE_PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SLUICE_PLUGIN_OUTPUT_DIRECTORY})
  endif()
  if(ARG_INSTALL OR (SLUICE_INSTALL_PLUGINS AND NOT ARG_OUTPUT_DIRECTORY))
    install(TARGETS ${name} LIBRARY DESTINATION ${SLUICE_PLUGIN_INSTALL_DIR})
  endif()
  if(SLUICE_INSTALL_PLUGINS)
    # Installed with the engine: libsluice is in <prefix>/<libdir>, three levels up from the plugin. (The
    # engine has it loaded already when it opens a plugin; this helps tools like ldd.)
    set_target_properties(${name} PROPERTIES INSTALL_RPATH "$ORIGIN/../../../${CMAKE_INSTALL_LIBDIR}")
  endif()
endfunction()
