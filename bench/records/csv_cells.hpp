// The hand-written converters' CSV and JSON pieces (bench/records/baseline_csv_to_json,
// bench/meter/meter_pass): one RFC 4180 cell at a time, and a JSON string, with nothing general.
#pragma once

#include <string>
#include <string_view>

namespace sluice::bench {

inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += c == '\n' ? "\\n" : " ";
    } else {
      out += c;
    }
  }
  out += '"';
}

// One CSV cell from p: returns the unquoted text (in `scratch` when it had doubled quotes) and leaves p on
// the ',' or '\n' after it.
inline std::string_view csv_cell(const char*& p, const char* end, std::string& scratch) {
  if (p < end && *p == '"') {
    ++p;
    scratch.clear();
    const char* start = p;
    bool copied = false;
    while (p < end) {
      if (*p == '"') {
        if (p + 1 < end && p[1] == '"') {
          scratch.append(start, p + 1);
          p += 2;
          start = p;
          copied = true;
          continue;
        }
        break;
      }
      ++p;
    }
    std::string_view v;
    if (copied) {
      scratch.append(start, p);
      v = scratch;
    } else {
      v = std::string_view(start, static_cast<std::size_t>(p - start));
    }
    ++p;  // closing quote
    return v;
  }
  const char* start = p;
  while (p < end && *p != ',' && *p != '\n') ++p;
  return {start, static_cast<std::size_t>(p - start)};
}

}  // namespace sluice::bench
