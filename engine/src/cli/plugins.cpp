#include "cli/plugins.hpp"

#include <iostream>
#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace sluice::cli {

namespace {
std::filesystem::path executable_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : exe.parent_path();
}
}  // namespace

bool load_plugins(const CommonOptions& common, internal::PluginLoader& loader,
                  internal::ProcessorRegistry& registry) {
  bool ok = true;
  for (const auto& dir : internal::plugin_search_path(executable_dir(), common.plugin_dirs)) {
    for (const auto& error : loader.load_directory(dir, registry)) {
      std::cerr << "plugin error: " << error.message() << '\n';
      ok = false;
    }
  }
  return ok;
}

void configure_logging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("sluice");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace sluice::cli
