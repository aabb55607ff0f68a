// Loading the plugins every subcommand needs, with errors reported (never fatal for the other plugins).
#pragma once

#include "cli/commands.hpp"
#include "plugin/plugin_loader.hpp"
#include "plugin/registry.hpp"

namespace sluice::cli {

// Loads every plugin on the search path into `registry`; prints each load error to stderr.
// Returns false when any plugin failed to load.
bool load_plugins(const CommonOptions& common, internal::PluginLoader& loader,
                  internal::ProcessorRegistry& registry);

void configure_logging(const std::string& level);

}  // namespace sluice::cli
