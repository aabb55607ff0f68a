// Loads plugins (shared libraries exporting SLUICE_PLUGIN's manifest: processors and controller services)
// into a ProcessorRegistry.
// A bad plugin is reported as a PluginError naming the file and the reason; it never brings the engine down.
//
// Not protected against: a library whose static initializers throw, abort or corrupt memory while dlopen
// runs them. That happens inside the dynamic linker before any of our code can intervene. (Processor
// definitions built as function-local statics, as the standard plugin does, are constructed inside the
// manifest call instead, where an exception is caught and reported.)
//
// Not thread-safe: plugins are loaded once, at startup, before any processor runs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/registry.hpp"

namespace sluice::internal {

struct PluginError {
  std::filesystem::path file;  // the library, or the directory when the directory itself is the problem
  std::string reason;

  // "FILE: REASON", as shown to the user.
  [[nodiscard]] std::string message() const;
};

struct LoadedPlugin {
  std::filesystem::path file;  // canonical
  std::string name;            // from the manifest
  std::vector<std::string> processor_types;
  std::vector<std::string> service_types;
};

class PluginLoader {
 public:
  PluginLoader();
  // Libraries stay loaded after the loader is gone: the registry's definitions point into them.
  ~PluginLoader();
  PluginLoader(const PluginLoader&) = delete;
  PluginLoader& operator=(const PluginLoader&) = delete;

  // Every `*.so` directly in `dir`, in file name order so that duplicate-type errors are deterministic.
  // A missing or unreadable directory is one error.
  std::vector<PluginError> load_directory(const std::filesystem::path& dir, ProcessorRegistry& registry);
  // One library, all or nothing: if any of its definitions (processor or service) is invalid or clashes
  // with a registered type, none of its processors and services are registered and the library is unloaded.
  // Loading a file this loader already loaded (the same file through another directory or a symlink) is a
  // no-op.
  std::optional<PluginError> load_file(const std::filesystem::path& file, ProcessorRegistry& registry);
  // load_directory over each directory of a search path, errors concatenated.
  std::vector<PluginError> load_search_path(const std::vector<std::filesystem::path>& dirs,
                                            ProcessorRegistry& registry);

  [[nodiscard]] const std::vector<LoadedPlugin>& loaded() const { return loaded_; }

 private:
  std::vector<LoadedPlugin> loaded_;
  std::set<std::filesystem::path> loaded_files_;  // canonical
};

inline constexpr const char* kPluginPathEnv = "SLUICE_PLUGIN_PATH";

// The directories to load plugins from, in order, without duplicates:
//   <exe_dir>/../lib/sluice/plugins  (skipped when missing: an engine without plugins is valid)
//   each --plugins DIR               (kept even when missing, so that load_directory reports it)
//   each entry of SLUICE_PLUGIN_PATH (colon-separated; empty and missing entries skipped, as with PATH)
std::vector<std::filesystem::path> plugin_search_path(const std::filesystem::path& exe_dir,
                                                      const std::vector<std::filesystem::path>& cli_dirs);
// The same with the environment variable's value given (nullopt = unset), for tests.
std::vector<std::filesystem::path> plugin_search_path(const std::filesystem::path& exe_dir,
                                                      const std::vector<std::filesystem::path>& cli_dirs,
                                                      std::optional<std::string_view> env_value);

}  // namespace sluice::internal
