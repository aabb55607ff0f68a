#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/docs_markdown.hpp"
#include "cli/plugins.hpp"

namespace sluice::cli {

namespace {

namespace fs = std::filesystem;

void write_page(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  out.flush();
  if (!out) throw std::runtime_error("cannot write " + file.string());
}

bool is_generated(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string first;
  std::getline(in, first);
  return first == kGeneratedBanner;
}

// Removes the generated pages of components that are gone, leaving any hand-written file alone.
void remove_stale(const fs::path& dir, const std::set<std::string>& written) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    const fs::path& file = entry.path();
    if (file.extension() != ".md" || written.contains(file.filename().string())) continue;
    if (is_generated(file)) fs::remove(file);
  }
}

}  // namespace

int docs_command(const CommonOptions& common, const std::filesystem::path& out_dir) {
  internal::PluginLoader loader;
  internal::ProcessorRegistry registry;
  const bool plugins_ok = load_plugins(common, loader, registry);
  std::map<std::string, std::string, std::less<>> plugin_of;
  for (const auto& plugin : loader.loaded()) {
    for (const auto& type : plugin.processor_types) plugin_of[type] = plugin.name;
    for (const auto& type : plugin.service_types) plugin_of[type] = plugin.name;
  }
  std::vector<DocumentedProcessor> processors;
  for (const auto* d : registry.all()) processors.push_back({&d->spec, plugin_of[d->spec.type]});
  std::vector<DocumentedService> services;
  for (const auto* d : registry.all_services()) services.push_back({&d->spec, plugin_of[d->spec.type]});

  fs::create_directories(out_dir);
  std::set<std::string> written;
  auto write = [&](const std::string& name, const std::string& text) {
    write_page(out_dir / name, text);
    written.insert(name);
  };
  for (const auto& p : processors) write(page_file_name(p.spec->type), processor_page(p));
  for (const auto& s : services) write(page_file_name(s.spec->type), service_page(s));
  write("README.md", index_page(processors, services));
  remove_stale(out_dir, written);
  std::cout << fmt::format("wrote {} processor and {} service pages and README.md to {}\n", processors.size(),
                           services.size(), out_dir.string());
  return plugins_ok ? kExitOk : kExitError;
}

}  // namespace sluice::cli
