// Regular expressions for the processors that match content and attribute names (RouteOnContent,
// ExtractText, ReplaceText, UpdateAttribute, AttributesToJSON): PCRE2 with its JIT, Perl/Java-like syntax
// (NiFi users write Java regexes; `(?i)` and friends work), over bytes. Unlike std::regex, matching a long
// line costs no stack per character, so a 1 MiB line cannot crash the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {
class ComponentContext;
}

namespace sluice::standard {

struct RegexOptions {
  bool case_insensitive = false;
  bool multiline = false;  // ^ and $ at line breaks
  bool dotall = false;     // . matches a line break
};

class Regex {
 public:
  // Throws ProcessorError naming `what` (e.g. "property 'search_value'") and the error's position.
  static Regex compile(std::string_view pattern, std::string_view what, RegexOptions options = {});

  [[nodiscard]] std::size_t capture_count() const;
  [[nodiscard]] const std::string& pattern() const { return pattern_; }

  // Whether the whole subject matches (a convenience that allocates match data: not for hot loops).
  [[nodiscard]] bool full_match(std::string_view subject) const;

 private:
  friend class Matcher;
  struct Code;
  std::shared_ptr<const Code> code_;
  std::string pattern_;
};

// Match state for one thread: reuse one per trigger, not one per FlowFile.
class Matcher {
 public:
  explicit Matcher(const Regex& regex);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  // Finds the first match at or after `offset`; `anchored_full` requires it to span the whole subject.
  // Throws ProcessorError when PCRE2 gives up (match or JIT stack limit), naming the pattern.
  bool find(std::string_view subject, std::size_t offset = 0, bool anchored_full = false);

  // After a successful find: group 0 is the whole match; nullopt for a group that did not participate.
  [[nodiscard]] std::optional<std::string_view> group(std::size_t index) const;
  [[nodiscard]] std::size_t start() const;
  [[nodiscard]] std::size_t end() const;

 private:
  const Regex* regex_;  // must outlive the matcher
  struct State;
  std::unique_ptr<State> state_;
  std::string_view subject_;
};

// A dynamic property compiled as a regex: its name (a relationship, an attribute) and its value.
struct NamedRegex {
  std::string name;
  Regex regex;
};

// Every dynamic property of the component as a regex, in flow order; an invalid one throws ProcessorError
// naming the property.
std::vector<NamedRegex> dynamic_regexes(const ComponentContext& context, RegexOptions options = {});
// A matcher for each, in the same order (one set per trigger).
std::vector<Matcher> matchers_for(const std::vector<NamedRegex>& regexes);

}  // namespace sluice::standard
