#include "config/names.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace sluice::internal {

namespace {
// Case-insensitive optimal string alignment distance: Levenshtein plus adjacent transpositions, so that
// "gne" is one edit from "gen".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
  const std::size_t width = b.size() + 1;
  std::vector<std::size_t> d((a.size() + 1) * width);
  for (std::size_t i = 0; i <= a.size(); ++i) d[i * width] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      std::size_t best =
          std::min({d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        best = std::min(best, d[(i - 2) * width + j - 2] + 1);
      }
      d[i * width + j] = best;
    }
  }
  return d[a.size() * width + b.size()];
}
}  // namespace

std::string nearest_name(std::string_view name, const std::vector<std::string>& candidates) {
  std::string best;
  // Short names get a tighter bound, or every 2-letter typo would "mean" every other 2-letter name.
  std::size_t best_distance = std::min<std::size_t>(std::max<std::size_t>(3, name.size() / 3),
                                                    std::max<std::size_t>(1, name.size() / 2)) +
                              1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

std::string name_hint(std::string_view name, const std::vector<std::string>& candidates,
                      std::size_t max_listed) {
  if (auto best = nearest_name(name, candidates); !best.empty())
    return fmt::format(" (did you mean '{}'?)", best);
  if (!candidates.empty() && candidates.size() <= max_listed) {
    return fmt::format(" (expected one of: {})", join(candidates));
  }
  return {};
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace sluice::internal
