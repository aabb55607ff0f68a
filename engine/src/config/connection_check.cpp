#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "config/names.hpp"
#include "config/relationships.hpp"
#include "config/validator_checks.hpp"

namespace sluice::internal {

namespace {

std::string at(const SourcePos& pos) {
  return fmt::format("{}:{}", pos.line, pos.column);
}

class ConnectionChecker {
 public:
  ConnectionChecker(const FlowModel& flow, const ProcessorRegistry& registry, std::vector<Diagnostic>& out)
      : flow_(flow), registry_(registry), out_(out) {
    for (const auto& p : flow.processors) ids_.push_back(p.id.value);
  }

  void run() {
    for (const auto& c : flow_.connections) check_connection(c);
    for (const auto& p : flow_.processors) check_processor(p);
  }

 private:
  // The relationships `p` has as configured (static and dynamic), computed once per processor.
  const std::vector<std::string>& relationships_of(const ProcessorModel& p, const ProcessorSpec& spec) {
    auto it = relationships_.find(p.id.value);
    if (it == relationships_.end())
      it = relationships_.emplace(p.id.value, relationship_names(p, spec)).first;
    return it->second;
  }

  // The processor `end` names, or nullptr after reporting it unknown.
  const ProcessorModel* endpoint(const Located& end, std::string_view direction) {
    if (end.value.empty()) return nullptr;  // missing: the parser reported it
    const ProcessorModel* p = flow_.find_processor(end.value);
    if (p == nullptr) {
      out_.push_back({end.pos, fmt::format("connection {} unknown processor '{}'{}", direction, end.value,
                                           name_hint(end.value, ids_))});
    }
    return p;
  }

  void check_connection(const ConnectionModel& c) {
    const ProcessorModel* from = endpoint(c.from, "from");
    const ProcessorModel* to = endpoint(c.to, "to");
    const ProcessorSpec* from_spec = from == nullptr ? nullptr : spec_of(*from, registry_);
    if (to != nullptr) {
      has_incoming_.insert(to->id.value);
      const ProcessorSpec* to_spec = spec_of(*to, registry_);
      if (to_spec != nullptr && to_spec->input == InputRequirement::kForbidden) {
        out_.push_back(
            {c.to.pos, fmt::format("processor '{}' ({}) takes no input, so no connection may lead to it",
                                   to->id.value, to_spec->type)});
      }
    }
    if (from == nullptr) return;
    for (const auto& rel : c.relationships) {
      if (from_spec == nullptr) continue;
      const auto& names = relationships_of(*from, *from_spec);
      if (std::find(names.begin(), names.end(), rel.value) == names.end()) {
        out_.push_back({rel.pos, fmt::format("unknown relationship '{}' of '{}' ({}){}", rel.value,
                                             from->id.value, from_spec->type, name_hint(rel.value, names))});
        continue;
      }
      connected_.emplace(std::pair{from->id.value, rel.value}, rel.pos);
      if (c.to.value.empty()) continue;
      auto key = std::tuple{from->id.value, rel.value, c.to.value};
      if (auto [first, inserted] = edges_.emplace(key, rel.pos); !inserted) {
        out_.push_back({rel.pos, fmt::format("duplicate connection {} -[{}]-> {} (first at {})",
                                             from->id.value, rel.value, c.to.value, at(first->second))});
      }
    }
  }

  void check_processor(const ProcessorModel& p) {
    const ProcessorSpec* spec = spec_of(p, registry_);
    if (spec == nullptr) return;
    if (spec->input == InputRequirement::kRequired && !has_incoming_.contains(p.id.value)) {
      out_.push_back(
          {p.id.pos, fmt::format("processor '{}' ({}) requires input but no connection leads to it",
                                 p.id.value, spec->type)});
    }
    std::set<std::string> terminated;
    for (const auto& t : p.terminate) {
      terminated.insert(t.value);
      if (auto c = connected_.find({p.id.value, t.value}); c != connected_.end()) {
        out_.push_back(
            {t.pos, fmt::format("relationship '{}' of '{}' is both terminated and connected (at {}); "
                                "remove it from terminate: or from the connection",
                                t.value, p.id.value, at(c->second))});
      }
    }
    // A relationship retried without limit never receives a FlowFile: it needs no connection.
    const auto& relationships = relationships_of(p, *spec);
    std::set<std::string> retried_forever;
    for (const auto& r : p.retry.relationships) {
      if (std::find(relationships.begin(), relationships.end(), r.value) == relationships.end()) {
        out_.push_back({r.pos, fmt::format("retry of '{}': unknown relationship '{}' ({}){}", p.id.value,
                                           r.value, spec->type, name_hint(r.value, relationships))});
      } else if (p.retry.max_attempts == 0) {
        retried_forever.insert(r.value);
      }
    }
    for (const auto& name : relationships) {
      if (terminated.contains(name) || connected_.contains({p.id.value, name})) continue;
      if (retried_forever.contains(name)) continue;
      const bool retried = std::any_of(p.retry.relationships.begin(), p.retry.relationships.end(),
                                       [&](const Located& l) { return l.value == name; });
      const std::string why = retried ? fmt::format("; retry gives up after {} attempts and then routes here",
                                                    p.retry.max_attempts)
                                      : "";
      out_.push_back(
          {p.id.pos, fmt::format("relationship '{}' of '{}' is neither connected nor terminated (add it "
                                 "to a connection or to terminate:{})",
                                 name, p.id.value, why)});
    }
  }

  const FlowModel& flow_;
  const ProcessorRegistry& registry_;
  std::vector<Diagnostic>& out_;
  std::vector<std::string> ids_;
  std::set<std::string> has_incoming_;
  std::map<std::string, std::vector<std::string>> relationships_;       // processor id -> its relationships
  std::map<std::pair<std::string, std::string>, SourcePos> connected_;  // (from, relationship) -> first use
  std::map<std::tuple<std::string, std::string, std::string>, SourcePos> edges_;
};

}  // namespace

void check_connections(const FlowModel& flow, const ProcessorRegistry& registry,
                       std::vector<Diagnostic>& out) {
  ConnectionChecker(flow, registry, out).run();
}

}  // namespace sluice::internal
