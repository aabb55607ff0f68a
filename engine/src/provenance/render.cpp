#include "provenance/render.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <map>

#include <fmt/format.h>

#include "sluice/units.hpp"

namespace sluice::internal::provenance {

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

std::optional<std::int64_t> parse_iso(std::string_view s) {
  int year = 0;
  int month = 0;
  int day = 0;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day)) {
    return std::nullopt;
  }
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
  std::size_t at = 10;
  if (at < s.size() && (s[at] == 'T' || s[at] == 't' || s[at] == ' ')) {
    if (!digits(s, at + 1, 2, hour) || at + 3 >= s.size() || s[at + 3] != ':' ||
        !digits(s, at + 4, 2, minute))
      return std::nullopt;
    at += 6;
    if (at < s.size() && s[at] == ':') {
      if (!digits(s, at + 1, 2, second)) return std::nullopt;
      at += 3;
      if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
        ++at;
        int scale = 100;
        while (at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])) != 0) {
          millis += (s[at] - '0') * scale;
          scale /= 10;
          ++at;
        }
      }
    }
  }
  std::int64_t offset_minutes = 0;
  if (at < s.size()) {
    if (s[at] == 'Z' || s[at] == 'z') {
      ++at;
    } else if (s[at] == '+' || s[at] == '-') {
      int oh = 0;
      int om = 0;
      if (!digits(s, at + 1, 2, oh)) return std::nullopt;
      std::size_t m = at + 3;
      if (m < s.size() && s[m] == ':') ++m;
      if (!digits(s, m, 2, om)) return std::nullopt;
      offset_minutes = static_cast<std::int64_t>(s[at] == '-' ? -1 : 1) * (oh * 60 + om);
      at = m + 2;
    }
  }
  if (at != s.size() || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t t = ::timegm(&tm);
  return (static_cast<std::int64_t>(t) - offset_minutes * 60) * 1000 + millis;
}

std::string short_uuid(std::string_view uuid) {
  return std::string(uuid.substr(0, 8));
}

std::string dot_escape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

nlohmann::json content_json(const ProvenanceEvent& e, ContentSide side, const Queries* queries) {
  const auto& ref = side == ContentSide::kInput ? e.content_in : e.content_out;
  if (!ref) return nullptr;
  nlohmann::json j{{"resource", ref->resource}, {"offset", ref->offset}, {"size", ref->length}};
  if (queries != nullptr) {
    const ContentStatus status = queries->content_status(e, side);
    j["available"] = status.available;
    if (status.handed_over) j["handed_over"] = true;
  }
  return j;
}

}  // namespace

std::string format_time(std::int64_t epoch_ms) {
  const auto seconds = static_cast<std::time_t>(epoch_ms >= 0 ? epoch_ms / 1000 : (epoch_ms - 999) / 1000);
  const auto millis = static_cast<int>(epoch_ms - static_cast<std::int64_t>(seconds) * 1000);
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

std::optional<std::int64_t> parse_time(std::string_view text, std::int64_t now_ms) {
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) &&
      text.size() >= 10) {
    std::int64_t ms = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec == std::errc() && end == text.data() + text.size()) return ms;
  }
  if (auto t = parse_iso(text)) return t;
  if (auto d = parse_duration(text)) {
    return now_ms - std::chrono::duration_cast<std::chrono::milliseconds>(*d).count();
  }
  return std::nullopt;
}

nlohmann::json event_json(const ProvenanceEvent& e, const Queries* queries) {
  nlohmann::json j;
  j["event_id"] = e.id;
  j["event_time"] = format_time(e.time_ms);
  j["event_time_ms"] = e.time_ms;
  j["type"] = event_type_name(e.type);
  j["flowfile_uuid"] = e.flowfile_uuid;
  j["component_id"] = e.component_id;
  j["component_type"] = e.component_type;
  j["relationship"] = e.relationship.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.relationship);
  j["source_queue"] = e.source_queue.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.source_queue);
  j["transit_uri"] = e.transit_uri.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.transit_uri);
  j["details"] = e.details.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.details);
  j["size"] = e.size();
  j["entry_date"] = format_time(e.entry_ms);
  j["lineage_start"] = format_time(e.lineage_start_ms);
  j["parents"] = e.parent_uuids;
  j["children"] = e.child_uuids;
  nlohmann::json attributes = nlohmann::json::object();
  nlohmann::json changed = nlohmann::json::object();
  for (const auto& a : e.attributes) {
    if (a.after) attributes[a.name] = *a.after;
    if (a.before != a.after) {
      changed[a.name] = {{"before", a.before ? nlohmann::json(*a.before) : nlohmann::json(nullptr)},
                         {"after", a.after ? nlohmann::json(*a.after) : nlohmann::json(nullptr)}};
    }
  }
  j["attributes"] = std::move(attributes);
  j["changed_attributes"] = std::move(changed);
  j["content_in"] = content_json(e, ContentSide::kInput, queries);
  j["content_out"] = content_json(e, ContentSide::kOutput, queries);
  return j;
}

nlohmann::json lineage_json(const Lineage& lineage) {
  nlohmann::json j;
  j["root"] = lineage.root;
  j["flowfiles"] = lineage.flowfiles;
  j["truncated"] = lineage.truncated;
  nlohmann::json events = nlohmann::json::array();
  nlohmann::json edges = nlohmann::json::array();
  for (const auto& e : lineage.events) {
    events.push_back(event_json(e));
    if (e.type == EventType::kFork || e.type == EventType::kJoin || e.type == EventType::kClone ||
        e.type == EventType::kReplay) {
      for (const auto& p : e.parent_uuids) {
        for (const auto& c : e.child_uuids) {
          if (p != c)
            edges.push_back({{"from", p}, {"to", c}, {"event_id", e.id}, {"type", event_type_name(e.type)}});
        }
      }
    }
  }
  j["events"] = std::move(events);
  j["edges"] = std::move(edges);
  return j;
}

std::string lineage_dot(const Lineage& lineage) {
  std::string out =
      "digraph lineage {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n";
  std::map<std::string, std::vector<const ProvenanceEvent*>> by_flowfile;
  for (const auto& e : lineage.events) by_flowfile[e.flowfile_uuid].push_back(&e);
  auto event_node = [](const ProvenanceEvent& e) { return fmt::format("e{}", e.id); };
  for (const auto& e : lineage.events) {
    const bool root = e.flowfile_uuid == lineage.root;
    out += fmt::format("  {} [label=\"{} #{}\\n{} ({})\\n{}\"{}];\n", event_node(e), event_type_name(e.type),
                       e.id, dot_escape(e.component_id), dot_escape(e.component_type),
                       short_uuid(e.flowfile_uuid), root ? ", style=bold" : "");
  }
  for (const auto& [uuid, events] : by_flowfile) {
    for (std::size_t i = 1; i < events.size(); ++i) {
      out += fmt::format("  {} -> {} [label=\"{}\"];\n", event_node(*events[i - 1]), event_node(*events[i]),
                         short_uuid(uuid));
    }
  }
  // A FlowFile created by a FORK, JOIN, CLONE or REPLAY continues from that event.
  for (const auto& e : lineage.events) {
    if (e.type != EventType::kFork && e.type != EventType::kJoin && e.type != EventType::kClone &&
        e.type != EventType::kReplay) {
      continue;
    }
    for (const auto& child : e.child_uuids) {
      if (child == e.flowfile_uuid) continue;
      auto it = by_flowfile.find(child);
      if (it != by_flowfile.end() && !it->second.empty()) {
        out += fmt::format("  {} -> {} [style=dashed, label=\"{}\"];\n", event_node(e),
                           event_node(*it->second.front()), short_uuid(child));
      } else {
        out += fmt::format("  f_{} [label=\"{}\", shape=ellipse];\n  {} -> f_{} [style=dashed];\n",
                           short_uuid(child), short_uuid(child), event_node(e), short_uuid(child));
      }
    }
    if (e.type == EventType::kJoin || e.type == EventType::kReplay) {
      // The parents' histories lead into the event that joined (or replayed) them.
      for (const auto& parent : e.parent_uuids) {
        auto it = by_flowfile.find(parent);
        if (it == by_flowfile.end()) continue;
        const ProvenanceEvent* last = nullptr;
        for (const auto* pe : it->second) {
          if (pe->id < e.id) last = pe;
        }
        if (last != nullptr)
          out += fmt::format("  {} -> {} [style=dashed];\n", event_node(*last), event_node(e));
      }
    }
  }
  out += "}\n";
  return out;
}

}  // namespace sluice::internal::provenance
