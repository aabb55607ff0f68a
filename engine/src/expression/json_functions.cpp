// JSON attributes: jsonPath reads a value, jsonPathSet/jsonPathDelete rewrite the document. Paths are the
// definite subset of JSONPath ($.a.b, $['a b'], $.list[0], $.list[-1]) plus the wildcard [*] / .* for
// reading; a path that finds nothing reads as "".
#include <memory>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "expression/function_table.hpp"
#include "expression/functions.hpp"

namespace sluice::internal::el::fn {

namespace {

using Json = nlohmann::json;

struct Step {
  enum class Kind : std::uint8_t { kKey, kIndex, kWildcard };
  Kind kind = Kind::kKey;
  std::string key;
  std::int64_t index = 0;
};
using Path = std::vector<Step>;

// Parses a JSONPath; on error returns nullopt with `error` set.
std::optional<Path> parse_path(std::string_view text, std::string& error) {
  Path path;
  std::size_t i = 0;
  auto bad = [&](std::string_view what) {
    error = fmt::format("'{}' is not a supported JSON path: {} at character {}", text, what, i + 1);
    return std::nullopt;
  };
  if (text.empty() || text[0] != '$') return bad("expected '$'");
  ++i;
  while (i < text.size()) {
    if (text[i] == '.') {
      ++i;
      if (i < text.size() && text[i] == '.') return bad("recursive descent '..' is not supported");
      if (i < text.size() && text[i] == '*') {
        path.push_back({Step::Kind::kWildcard, {}, 0});
        ++i;
        continue;
      }
      const std::size_t start = i;
      while (i < text.size() && text[i] != '.' && text[i] != '[') ++i;
      if (i == start) return bad("expected a name after '.'");
      path.push_back({Step::Kind::kKey, std::string(text.substr(start, i - start)), 0});
    } else if (text[i] == '[') {
      ++i;
      if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        const char quote = text[i++];
        const std::size_t close = text.find(quote, i);
        if (close == std::string_view::npos) return bad("unclosed quote");
        path.push_back({Step::Kind::kKey, std::string(text.substr(i, close - i)), 0});
        i = close + 1;
      } else if (i < text.size() && text[i] == '*') {
        path.push_back({Step::Kind::kWildcard, {}, 0});
        ++i;
      } else {
        const std::size_t start = i;
        while (i < text.size() && text[i] != ']') ++i;
        auto n = parse_number(text.substr(start, i - start));
        if (!n || n->is_decimal) return bad("expected an index, a quoted name or '*'");
        path.push_back({Step::Kind::kIndex, {}, n->whole});
      }
      if (i >= text.size() || text[i] != ']') return bad("expected ']'");
      ++i;
    } else {
      return bad(fmt::format("unexpected '{}'", text[i]));
    }
  }
  return path;
}

const Path& path_arg(const Call& c, Path& storage) {
  if (const auto* prepared = std::any_cast<std::shared_ptr<const Path>>(&c.node().prepared))
    return **prepared;
  std::string error;
  auto path = parse_path(c.text_arg(0), error);
  if (!path) c.fail(error);
  storage = std::move(*path);
  return storage;
}

Json parse_subject(const Call& c) {
  const std::string_view s = c.subject_text();
  Json doc = Json::parse(s.begin(), s.end(), nullptr, false);
  if (doc.is_discarded()) c.fail(fmt::format("the subject is not valid JSON: '{}'", s));
  return doc;
}

Json* element(Json& node, const Step& step) {
  if (step.kind == Step::Kind::kKey) {
    if (!node.is_object()) return nullptr;
    auto it = node.find(step.key);
    return it == node.end() ? nullptr : &*it;
  }
  if (!node.is_array()) return nullptr;
  const auto size = static_cast<std::int64_t>(node.size());
  const std::int64_t at = step.index < 0 ? size + step.index : step.index;
  if (at < 0 || at >= size) return nullptr;
  return &node[static_cast<std::size_t>(at)];
}

void collect(Json& node, const Path& path, std::size_t depth, std::vector<Json*>& out) {
  if (depth == path.size()) {
    out.push_back(&node);
    return;
  }
  const Step& step = path[depth];
  if (step.kind == Step::Kind::kWildcard) {
    if (node.is_object() || node.is_array()) {
      for (auto& child : node) collect(child, path, depth + 1, out);
    }
    return;
  }
  if (Json* next = element(node, step)) collect(*next, path, depth + 1, out);
}

bool definite(const Path& path) {
  return std::none_of(path.begin(), path.end(),
                      [](const Step& s) { return s.kind == Step::Kind::kWildcard; });
}

Value dumped(const Call& c, const Json& doc) {
  std::string& out = c.buffer();
  out = doc.dump();
  return Value::string(out);
}

}  // namespace

void prepare_json_path(const PrepareContext& context) {
  const ExpressionNode* literal = context.literal_arg(0);
  if (literal == nullptr) return;
  std::string error;
  auto path = parse_path(literal->text, error);
  if (!path) context.fail(0, error);
  if (context.node.function->name != "jsonPath" && !definite(*path)) {
    context.fail(0, fmt::format("'{}' has a wildcard: only a definite path can be changed", literal->text));
  }
  context.node.prepared = std::make_shared<const Path>(std::move(*path));
}

Value json_path(const Call& c) {
  if (c.subject().is_null()) return Value::string({});
  Path storage;
  const Path& path = path_arg(c, storage);
  Json doc = parse_subject(c);
  std::vector<Json*> found;
  collect(doc, path, 0, found);
  if (found.empty()) return Value::string({});
  if (!definite(path)) {
    Json list = Json::array();
    for (Json* j : found) list.push_back(*j);
    return dumped(c, list);
  }
  const Json& j = *found.front();
  if (j.is_string()) {
    std::string& out = c.buffer();
    out = j.get<std::string>();
    return Value::string(out);
  }
  if (j.is_null()) return Value::string({});
  return dumped(c, j);
}

namespace {

// Applies `change` to the parent of a definite path's last step, when the path leads somewhere, and gives
// the rewritten document.
template <typename Change>
Value rewrite(const Call& c, std::string_view verb, Change change) {
  if (c.subject().is_null()) return Value::null();
  Path storage;
  const Path& path = path_arg(c, storage);
  if (!definite(path) || path.empty()) c.fail(fmt::format("only a definite path below $ can be {}", verb));
  Json doc = parse_subject(c);
  std::vector<Json*> parents;
  collect(doc, Path(path.begin(), path.end() - 1), 0, parents);
  if (!parents.empty()) change(*parents.front(), path.back());
  return dumped(c, doc);
}

Json json_value(const Call& c, std::size_t arg) {
  const Value v = c.arg(arg);
  switch (v.type) {
    case Type::kNull: return nullptr;
    case Type::kBool: return v.boolean;
    case Type::kWhole: return v.whole;
    case Type::kDecimal: return v.decimal;
    default: return std::string(c.text_arg(arg));
  }
}

}  // namespace

Value json_path_delete(const Call& c) {
  return rewrite(c, "deleted", [](Json& parent, const Step& last) {
    if (last.kind == Step::Kind::kKey && parent.is_object()) {
      parent.erase(last.key);
    } else if (last.kind == Step::Kind::kIndex && element(parent, last) != nullptr) {
      const auto size = static_cast<std::int64_t>(parent.size());
      parent.erase(static_cast<std::size_t>(last.index < 0 ? size + last.index : last.index));
    }
  });
}

Value json_path_set(const Call& c) {
  return rewrite(c, "set", [&c](Json& parent, const Step& last) {
    if (last.kind == Step::Kind::kKey && parent.is_object()) {
      parent[last.key] = json_value(c, 1);
    } else if (Json* target = element(parent, last)) {
      *target = json_value(c, 1);
    }
  });
}

Value is_json(const Call& c) {
  if (c.subject().is_null()) return Value::of_bool(false);
  const std::string_view s = c.subject_text();
  return Value::of_bool(Json::accept(s.begin(), s.end()));
}

}  // namespace sluice::internal::el::fn
