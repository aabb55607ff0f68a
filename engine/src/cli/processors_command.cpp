#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/plugins.hpp"
#include "cli/spec_json.hpp"

namespace sluice::cli {

int processors_command(const CommonOptions& common, bool json) {
  internal::PluginLoader loader;
  internal::ProcessorRegistry registry;
  const bool ok = load_plugins(common, loader, registry);
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto* d : registry.all()) {
      auto j = spec_to_json(d->spec);
      j["plugin"] = registry.origin(d->spec.type);
      out.push_back(std::move(j));
    }
    std::cout << out.dump(2) << '\n';
  } else {
    for (const auto* d : registry.all()) {
      std::cout << fmt::format("{:<22} {:<12} {}\n", d->spec.type, status_name(d->spec.status),
                               d->spec.summary);
    }
  }
  return ok ? kExitOk : kExitError;
}

}  // namespace sluice::cli
