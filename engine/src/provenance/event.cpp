#include "provenance/event.hpp"

#include <algorithm>
#include <cctype>

namespace sluice::internal::provenance {

namespace {
constexpr std::array<std::string_view, kEventTypeCount> kNames{
    "CREATE", "RECEIVE", "FETCH", "SEND",  "DOWNLOAD",         "DROP",
    "EXPIRE", "FORK",    "JOIN",  "CLONE", "CONTENT_MODIFIED", "ATTRIBUTES_MODIFIED",
    "ROUTE",  "ADDINFO", "REPLAY"};
}  // namespace

std::string_view event_type_name(EventType type) {
  const auto i = static_cast<std::size_t>(type);
  return i < kNames.size() ? kNames[i] : std::string_view("UNKNOWN");
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    const std::string_view n = kNames[i];
    if (n.size() == name.size() && std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) {
          return a == std::toupper(static_cast<unsigned char>(b));
        })) {
      return static_cast<EventType>(i);
    }
  }
  return std::nullopt;
}

std::string event_type_names() {
  std::string out;
  for (const auto n : kNames) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ProvenanceEvent::attributes_before() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(attributes.size());
  for (const auto& a : attributes) {
    if (a.before) out.emplace_back(a.name, *a.before);
  }
  return out;
}

}  // namespace sluice::internal::provenance
