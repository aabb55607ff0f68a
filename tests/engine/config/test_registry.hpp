// The registry the flow-validation fixtures are checked against: the real standard plugin plus the
// DynamicRouter fixture plugin, loaded exactly as `sluice validate --plugins <fixtures>` loads them, so the
// in-process fixture test and the CLI test (tests/integration/validate_cli_test.py) expect the same lines.
#pragma once

#include <stdexcept>

#include "plugin/plugin_loader.hpp"
#include "plugin/registry.hpp"

namespace sluice::internal::config_test {

inline const ProcessorRegistry& test_registry() {
  static PluginLoader loader;
  static const ProcessorRegistry kRegistry = [] {
    ProcessorRegistry registry;
    for (const char* dir : {SLUICE_PLUGIN_DIR, SLUICE_TEST_PLUGINS_DIR "/flow_fixtures"}) {
      const auto errors = loader.load_directory(dir, registry);
      if (!errors.empty()) throw std::runtime_error(errors.front().message());
    }
    return registry;
  }();
  return kRegistry;
}

}  // namespace sluice::internal::config_test
