#include "plugin/plugin_loader.hpp"

#include <algorithm>
#include <cstdlib>
#include <dlfcn.h>
#include <exception>
#include <mutex>
#include <system_error>
#include <utility>

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include "sluice/plugin.hpp"

namespace sluice::internal {

namespace fs = std::filesystem;

std::string PluginError::message() const {
  return fmt::format("{}: {}", file.string(), reason);
}

namespace {

// Libraries are never unloaded once their definitions are registered: registries, processors and their
// vtables point into them, and unloading at exit only races static destructors. Reachable from a static so
// that leak checkers stay quiet.
void keep_alive(boost::dll::shared_library library) {
  static std::mutex mutex;
  static auto* libraries = new std::vector<boost::dll::shared_library>();
  const std::lock_guard lock(mutex);
  libraries->push_back(std::move(library));
}

// dlerror() usually starts with the path we already print; say it once.
std::string open_failure(const fs::path& file, const std::error_code& ec) {
  const char* raw = ::dlerror();
  std::string text = raw != nullptr ? raw : ec.message();
  const std::string prefix = file.string() + ": ";
  if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return "cannot open: " + text;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += separator;
    out += part;
  }
  return out;
}

// The problems of one definition (processor or service): null, empty type, no create function, a type
// declared twice in this library or already registered. `seen` holds this library's types so far.
template <typename Definition>
void check_definition(const Definition* definition, std::size_t index, std::string_view noun,
                      const ProcessorRegistry& registry, const std::string& origin,
                      std::set<std::string_view>& seen, std::vector<std::string>& problems) {
  if (definition == nullptr) {
    problems.push_back(fmt::format("{} #{} is null", noun, index + 1));
    return;
  }
  const std::string& type = definition->spec.type;
  if (type.empty()) {
    problems.push_back(fmt::format("{} #{} has an empty type", noun, index + 1));
    return;
  }
  if (definition->create == nullptr)
    problems.push_back(fmt::format("{} '{}' has no create function", noun, type));
  if (!seen.insert(type).second) {
    problems.push_back(fmt::format("type '{}' is declared twice", type));
    return;
  }
  if (auto conflict = registry.conflict(noun, type, origin); !conflict.empty()) problems.push_back(conflict);
}

// Everything wrong with a manifest's definitions, checked before anything is registered so that a library
// is accepted or rejected as a whole.
std::vector<std::string> definition_problems(const PluginManifest& manifest,
                                             const ProcessorRegistry& registry, const std::string& origin) {
  std::vector<std::string> problems;
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < manifest.processors.size(); ++i) {
    check_definition(manifest.processors[i], i, "processor", registry, origin, seen, problems);
  }
  for (std::size_t i = 0; i < manifest.services.size(); ++i) {
    check_definition(manifest.services[i], i, "service", registry, origin, seen, problems);
  }
  return problems;
}

// "its 2 processors", "its 2 processors and 1 service", "its service".
std::string contents(const PluginManifest& manifest) {
  auto count = [](std::size_t n, std::string_view noun) {
    return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
  };
  if (manifest.services.empty()) return count(manifest.processors.size(), "processor");
  if (manifest.processors.empty()) return count(manifest.services.size(), "service");
  return count(manifest.processors.size(), "processor") + " and " +
         count(manifest.services.size(), "service");
}

}  // namespace

PluginLoader::PluginLoader() = default;
PluginLoader::~PluginLoader() = default;

std::optional<PluginError> PluginLoader::load_file(const fs::path& file, ProcessorRegistry& registry) {
  auto fail = [&](std::string reason) { return PluginError{file, std::move(reason)}; };

  std::error_code ec;
  const fs::path canonical = fs::canonical(file, ec);
  if (ec) return fail("cannot open: " + ec.message());
  if (loaded_files_.contains(canonical)) return std::nullopt;

  // RTLD_NOW: an unresolved symbol must fail here, as an error, rather than kill the process on first call.
  // RTLD_LOCAL: plugins do not see each other's symbols.
  boost::dll::shared_library library;
  library.load(canonical, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !library.is_loaded()) return fail(open_failure(canonical, ec));

  if (!library.has(kManifestSymbol)) {
    return fail(
        fmt::format("not a sluice plugin: no '{}' symbol (declare one with SLUICE_PLUGIN)", kManifestSymbol));
  }

  const PluginManifest* manifest = nullptr;
  try {
    manifest = library.get<ManifestFunction>(kManifestSymbol)();
  } catch (const std::exception& e) {
    return fail(fmt::format("'{}' threw: {}", kManifestSymbol, e.what()));
  } catch (...) {
    return fail(fmt::format("'{}' threw a non-standard exception", kManifestSymbol));
  }
  if (manifest == nullptr) return fail(fmt::format("'{}' returned no manifest", kManifestSymbol));
  // abi_version is the manifest's first field and fixed forever; nothing else may be read before it matches.
  if (manifest->abi_version != kSdkAbiVersion) {
    return fail(fmt::format("built against SDK ABI {}, engine has {}; rebuild the plugin against this engine",
                            manifest->abi_version, kSdkAbiVersion));
  }
  if (manifest->name == nullptr || *manifest->name == '\0') return fail("the manifest has no plugin name");
  const std::string name = manifest->name;
  if (manifest->processors.empty() && manifest->services.empty()) {
    return fail(fmt::format("plugin '{}' declares no processors and no services", name));
  }

  const std::string origin = fmt::format("plugin '{}' ({})", name, canonical.string());
  const std::vector<std::string> problems = definition_problems(*manifest, registry, origin);
  if (!problems.empty()) {
    return fail(fmt::format("{}; plugin '{}' rejected, none of its {} registered", join(problems, "; "), name,
                            contents(*manifest)));
  }

  LoadedPlugin loaded{canonical, name, {}, {}};
  try {
    for (const ProcessorDefinition* definition : manifest->processors) {
      registry.add(definition, origin);
      loaded.processor_types.push_back(definition->spec.type);
    }
    for (const ServiceDefinition* definition : manifest->services) {
      registry.add_service(definition, origin);
      loaded.service_types.push_back(definition->spec.type);
    }
  } catch (const std::exception& e) {
    // Unreachable after definition_problems(), but if it happens the registry holds part of this library,
    // whose code must then stay loaded.
    keep_alive(std::move(library));
    return fail(fmt::format("{}; plugin '{}' only partly registered", e.what(), name));
  }
  keep_alive(std::move(library));
  loaded_files_.insert(canonical);
  loaded_.push_back(std::move(loaded));
  return std::nullopt;
}

std::vector<PluginError> PluginLoader::load_directory(const fs::path& dir, ProcessorRegistry& registry) {
  std::vector<PluginError> errors;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    errors.push_back({dir, "plugin directory does not exist"});
    return errors;
  }
  if (!fs::is_directory(dir, ec)) {
    errors.push_back({dir, "not a directory"});
    return errors;
  }

  std::vector<fs::path> files;
  fs::directory_iterator it(dir, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const fs::path& path = it->path();
    std::error_code type_ec;
    if (path.extension() == ".so" && !fs::is_directory(path, type_ec)) files.push_back(path);
  }
  if (ec) {
    errors.push_back({dir, "cannot list plugin directory: " + ec.message()});
    return errors;
  }

  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    if (auto error = load_file(file, registry)) errors.push_back(std::move(*error));
  }
  return errors;
}

std::vector<PluginError> PluginLoader::load_search_path(const std::vector<fs::path>& dirs,
                                                        ProcessorRegistry& registry) {
  std::vector<PluginError> errors;
  for (const auto& dir : dirs) {
    auto more = load_directory(dir, registry);
    errors.insert(errors.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  }
  return errors;
}

std::vector<fs::path> plugin_search_path(const fs::path& exe_dir, const std::vector<fs::path>& cli_dirs) {
  const char* env = std::getenv(kPluginPathEnv);  // NOLINT(concurrency-mt-unsafe): read once at startup
  return plugin_search_path(exe_dir, cli_dirs,
                            env != nullptr ? std::optional<std::string_view>(env) : std::nullopt);
}

std::vector<fs::path> plugin_search_path(const fs::path& exe_dir, const std::vector<fs::path>& cli_dirs,
                                         std::optional<std::string_view> env_value) {
  std::vector<fs::path> out;
  std::set<fs::path> seen;
  auto add = [&](const fs::path& dir, bool keep_missing) {
    std::error_code ec;
    if (!keep_missing && !fs::is_directory(dir, ec)) return;
    fs::path key = fs::weakly_canonical(dir, ec);
    if (ec) key = fs::absolute(dir, ec).lexically_normal();
    if (seen.insert(key).second) out.push_back(dir.lexically_normal());
  };

  add(exe_dir / ".." / "lib" / "sluice" / "plugins", false);
  for (const auto& dir : cli_dirs) add(dir, true);
  if (env_value) {
    std::string_view rest = *env_value;
    while (true) {
      const std::size_t colon = rest.find(':');
      const std::string_view entry = rest.substr(0, colon);
      if (!entry.empty()) add(fs::path(entry), false);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  return out;
}

}  // namespace sluice::internal
