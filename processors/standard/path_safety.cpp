#include "path_safety.hpp"

#include <algorithm>

namespace sluice::standard {

namespace {
// NAME_MAX on Linux file systems; checked here so the reason names the attribute, not an errno.
constexpr std::size_t kMaxFilenameBytes = 255;
// Leaves room in a temp name for the dot, the separator, a uuid and the suffix within kMaxFilenameBytes.
constexpr std::size_t kTempNameStemBytes = 200;
constexpr std::string_view kTempSuffix = ".partial";

std::string quoted(std::string_view name) {
  constexpr std::size_t kShown = 80;  // a reason is a log line, not a dump of a hostile attribute
  std::string out = "'";
  out += name.substr(0, kShown);
  if (name.size() > kShown) out += "...";
  out += "'";
  return out;
}
}  // namespace

std::optional<std::string> unsafe_filename_reason(std::string_view name) {
  if (name.empty()) return std::string("filename is empty");
  if (name.find('\0') != std::string_view::npos) return "filename " + quoted(name) + " contains a NUL byte";
  if (name == "." || name == "..") return "filename " + quoted(name) + " is not a file name";
  if (name.front() == '/') return "filename " + quoted(name) + " is an absolute path";
  if (name.find('/') != std::string_view::npos) {
    return "filename " + quoted(name) + " contains a path separator";
  }
  if (name.size() > kMaxFilenameBytes) {
    return "filename " + quoted(name) + " is longer than " + std::to_string(kMaxFilenameBytes) + " bytes";
  }
  return std::nullopt;
}

std::string temp_filename(std::string_view final_name, std::string_view unique) {
  std::string out = ".";
  out += final_name.substr(0, kTempNameStemBytes);
  out += '.';
  out += unique.substr(0, kMaxFilenameBytes - kTempNameStemBytes - 2 - kTempSuffix.size());
  out += kTempSuffix;
  return out;
}

std::string static_root(std::string_view directory_expression) {
  std::size_t expression = std::string_view::npos;
  for (std::size_t i = 0; i + 1 < directory_expression.size(); ++i) {
    if (directory_expression[i] != '$') continue;
    if (directory_expression[i + 1] == '$') {
      ++i;  // `$$`: an escaped dollar, not the start of an expression
      continue;
    }
    if (directory_expression[i + 1] == '{') {
      expression = i;
      break;
    }
  }
  if (expression == std::string_view::npos) return std::string(directory_expression);
  const std::size_t slash = directory_expression.rfind('/', expression);
  return slash == std::string_view::npos ? std::string()
                                         : std::string(directory_expression.substr(0, slash + 1));
}

std::optional<std::string> directory_escape_reason(const std::filesystem::path& root,
                                                   const std::filesystem::path& dir, bool resolve_links) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  auto absolute = [&](const fs::path& p) { return (p.is_absolute() ? p : cwd / p).lexically_normal(); };
  fs::path base = absolute(root.empty() ? fs::path(".") : root);
  fs::path target = absolute(dir);
  if (resolve_links) {
    base = fs::weakly_canonical(base, ec);
    if (!ec) target = fs::weakly_canonical(target, ec);
    if (ec) return "cannot resolve directory " + quoted(std::string_view(dir.native())) + ": " + ec.message();
  }
  auto b = base.begin();
  auto t = target.begin();
  for (; b != base.end() && !b->empty(); ++b, ++t) {
    if (t == target.end() || *b != *t) {
      const std::string shown_root = root.empty() ? std::string(".") : root.string();
      return "directory " + quoted(std::string_view(dir.native())) + " is outside " +
             quoted(std::string_view(shown_root)) + ", the fixed part of the `directory` property";
    }
  }
  return std::nullopt;
}

std::optional<std::filesystem::perms> parse_permissions(std::string_view octal) {
  if (octal.empty() || octal.size() > 4) return std::nullopt;
  unsigned value = 0;
  for (const char c : octal) {
    if (c < '0' || c > '7') return std::nullopt;
    value = value * 8 + static_cast<unsigned>(c - '0');
  }
  return static_cast<std::filesystem::perms>(value);
}

}  // namespace sluice::standard
