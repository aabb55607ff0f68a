#include <iostream>

#include "cli/commands.hpp"
#include "cli/plugins.hpp"
#include "config/flow_loader.hpp"
#include "config/settings.hpp"

namespace sluice::cli {

int validate_command(const CommonOptions& common, const std::vector<std::filesystem::path>& files) {
  internal::PluginLoader loader;
  internal::ProcessorRegistry registry;
  const bool plugins_ok = load_plugins(common, loader, registry);
  bool valid = true;
  for (const auto& file : files) {
    const auto diagnostics = internal::load_flow_file(file, registry).diagnostics;
    for (const auto& d : diagnostics) std::cout << d.str() << '\n';
    if (!diagnostics.empty()) valid = false;
  }
  if (!plugins_ok) return kExitError;
  return valid ? kExitOk : kExitInvalid;
}

}  // namespace sluice::cli
