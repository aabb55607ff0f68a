#include "config/secrets.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sluice::internal {

namespace {
constexpr std::string_view kEnv = "${env:";
constexpr std::string_view kFile = "${file:";

std::optional<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  std::string text = content.str();
  if (text.ends_with("\r\n")) {
    text.resize(text.size() - 2);
  } else if (text.ends_with('\n')) {
    text.pop_back();
  }
  return text;
}
}  // namespace

bool has_secret_reference(std::string_view value) {
  return value.find(kEnv) != std::string_view::npos || value.find(kFile) != std::string_view::npos;
}

ResolvedValue resolve_secrets(std::string_view value) {
  ResolvedValue out;
  out.text.reserve(value.size());
  std::size_t i = 0;
  while (i < value.size()) {
    if (value.compare(i, 3, "$${") == 0) {
      // `$${env:X}` is the literal text `${env:X}`: kept whole, escape included, for the expression
      // language (which unescapes `$${`).
      const std::size_t end = value.find('}', i);
      const std::size_t stop = end == std::string_view::npos ? value.size() : end + 1;
      out.text.append(value.substr(i, stop - i));
      i = stop;
      continue;
    }
    const bool env = value.compare(i, kEnv.size(), kEnv) == 0;
    const bool file = !env && value.compare(i, kFile.size(), kFile) == 0;
    if (!env && !file) {
      out.text += value[i++];
      continue;
    }
    const std::size_t start = i + (env ? kEnv.size() : kFile.size());
    const std::size_t end = value.find('}', start);
    if (end == std::string_view::npos) {
      out.error = SecretError{i, "unterminated secret reference (expected `}`)"};
      return out;
    }
    const std::string name(value.substr(start, end - start));
    if (name.empty()) {
      out.error = SecretError{i, env ? "empty environment variable name" : "empty file path"};
      return out;
    }
    if (env) {
      const char* v =
          std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe): read at load, before threads
      if (v == nullptr) {
        out.error = SecretError{i, "environment variable '" + name + "' is not set"};
        return out;
      }
      out.text += v;
    } else {
      auto content = read_secret_file(name);
      if (!content) {
        out.error = SecretError{i, "cannot read secret file '" + name + "'"};
        return out;
      }
      out.text += *content;
    }
    i = end + 1;
  }
  return out;
}

std::string shown_value(std::string_view value, bool sensitive) {
  if (!sensitive) return std::string(value);
  return "********";
}

}  // namespace sluice::internal
