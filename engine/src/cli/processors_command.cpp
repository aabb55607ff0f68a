#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/plugins.hpp"
#include "cli/spec_json.hpp"

namespace sluice::cli {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

int processors_command(const CommonOptions& common, bool json) {
  internal::PluginLoader loader;
  internal::ProcessorRegistry registry;
  const bool ok = load_plugins(common, loader, registry);
  if (json) {
    nlohmann::json out = {{"processors", nlohmann::json::array()}, {"services", nlohmann::json::array()}};
    for (const auto* d : registry.all()) {
      auto j = spec_to_json(d->spec);
      j["plugin"] = registry.origin(d->spec.type);
      out["processors"].push_back(std::move(j));
    }
    for (const auto* d : registry.all_services()) {
      auto j = spec_to_json(d->spec);
      j["plugin"] = registry.origin(d->spec.type);
      out["services"].push_back(std::move(j));
    }
    std::cout << out.dump(2) << '\n';
  } else {
    for (const auto* d : registry.all()) {
      std::cout << fmt::format("{:<22} {:<12} {}\n", d->spec.type, status_name(d->spec.status),
                               d->spec.summary);
    }
    if (!registry.all_services().empty()) std::cout << "\ncontroller services:\n";
    for (const auto* d : registry.all_services()) {
      std::cout << fmt::format("{:<22} {:<12} {} (provides {})\n", d->spec.type, status_name(d->spec.status),
                               d->spec.summary, joined(d->spec.provides));
    }
  }
  return ok ? kExitOk : kExitError;
}

}  // namespace sluice::cli
