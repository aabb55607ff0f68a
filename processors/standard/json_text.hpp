// Writing JSON strings from arbitrary bytes: attribute values come from anywhere, so invalid UTF-8 becomes
// U+FFFD instead of making invalid JSON.
#pragma once

#include <string>
#include <string_view>

namespace sluice::standard {

// Appends `bytes` as a quoted JSON string.
void append_json_string(std::string& out, std::string_view bytes);

}  // namespace sluice::standard
