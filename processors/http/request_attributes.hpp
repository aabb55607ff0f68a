// How HandleHttpRequest names the parts of a request as attributes: the decoded path and its segments,
// each query parameter, each header (lowercased names).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http_server.hpp"

namespace sluice::http {

// Percent-decoding; with `plus_is_space` (query strings) '+' is a space. A malformed escape is kept as is.
std::string percent_decode(std::string_view text, bool plus_is_space);

// (name, value) pairs: `http.path`, `http.path.segments` and `http.path.segment.<n>` (1-based, decoded),
// `http.query.<name>` (decoded; repeated names joined with ','), `http.headers.<lowercased name>` (never
// Authorization). Appended to `out`.
void request_attributes(const HttpRequest& request, std::vector<std::pair<std::string, std::string>>& out);

}  // namespace sluice::http
