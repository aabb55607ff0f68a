#include "request_attributes.hpp"

#include <algorithm>
#include <cstddef>

#include "listener_config.hpp"

namespace sluice::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Calls fn(piece) for each piece of `text` between `separator`s, empty pieces skipped.
template <typename Fn>
void for_each_piece(std::string_view text, char separator, Fn&& fn) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(separator, start), text.size());
    if (end > start) fn(text.substr(start, end - start));
    start = end + 1;
  }
}

void add(std::vector<std::pair<std::string, std::string>>& out, std::string_view prefix,
         std::string_view name, std::string value) {
  std::string key(prefix);
  key.append(name);
  for (auto& [existing, existing_value] : out) {
    if (existing == key) {
      existing_value += ',';
      existing_value += value;
      return;
    }
  }
  out.emplace_back(std::move(key), std::move(value));
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += plus_is_space && c == '+' ? ' ' : c;
  }
  return out;
}

void request_attributes(const HttpRequest& request, std::vector<std::pair<std::string, std::string>>& out) {
  out.emplace_back("http.path", percent_decode(request.path, false));
  std::size_t segments = 0;
  for_each_piece(request.path, '/', [&](std::string_view segment) {
    ++segments;
    out.emplace_back("http.path.segment." + std::to_string(segments), percent_decode(segment, false));
  });
  out.emplace_back("http.path.segments", std::to_string(segments));
  for_each_piece(request.query, '&', [&](std::string_view parameter) {
    const std::size_t equals = parameter.find('=');
    const std::string name = percent_decode(parameter.substr(0, equals), true);
    if (name.empty()) return;
    add(out, "http.query.", name,
        equals == std::string_view::npos ? std::string()
                                         : percent_decode(parameter.substr(equals + 1), true));
  });
  for (const auto& [name, value] : request.headers) {
    const std::string key = lower_ascii(name);
    if (key == "authorization") continue;  // a credential, never an attribute
    add(out, "http.headers.", key, value);
  }
}

}  // namespace sluice::http
