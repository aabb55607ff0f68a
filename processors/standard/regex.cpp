#include "regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <array>
#include <new>
#include <string>

#include <pcre2.h>

#include "sluice/context.hpp"

namespace sluice::standard {

namespace {
// The JIT's stack grows on demand up to this; the default (32 KiB) is too small for long subjects.
constexpr std::size_t kJitStackStart = std::size_t{32} * 1024;
constexpr std::size_t kJitStackMax = std::size_t{4} * 1024 * 1024;

std::string error_text(int code) {
  std::array<PCRE2_UCHAR, 256> buffer{};
  const int n = pcre2_get_error_message(code, buffer.data(), buffer.size());
  return n < 0 ? "error " + std::to_string(code)
               : std::string(reinterpret_cast<const char*>(buffer.data()), static_cast<std::size_t>(n));
}
}  // namespace

struct Regex::Code {
  pcre2_code* code = nullptr;
  std::size_t captures = 0;
  ~Code() { pcre2_code_free(code); }
  Code() = default;
  Code(const Code&) = delete;
  Code& operator=(const Code&) = delete;
};

Regex Regex::compile(std::string_view pattern, std::string_view what, RegexOptions options) {
  std::uint32_t flags = 0;
  if (options.case_insensitive) flags |= PCRE2_CASELESS;
  if (options.multiline) flags |= PCRE2_MULTILINE;
  if (options.dotall) flags |= PCRE2_DOTALL;
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), flags,
                                   &error, &offset, nullptr);
  if (code == nullptr) {
    throw ProcessorError(std::string(what) + ": '" + std::string(pattern) + "' is not a valid regex: " +
                         error_text(error) + " at offset " + std::to_string(offset));
  }
  auto compiled = std::make_shared<Code>();
  compiled->code = code;
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);  // without the JIT (unsupported CPU) matching still works
  std::uint32_t captures = 0;
  pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
  compiled->captures = captures;
  Regex r;
  r.code_ = std::move(compiled);
  r.pattern_ = std::string(pattern);
  return r;
}

std::size_t Regex::capture_count() const {
  return code_->captures;
}

bool Regex::full_match(std::string_view subject) const {
  Matcher m(*this);
  return m.find(subject, 0, true);
}

struct Matcher::State {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* stack = nullptr;
  ~State() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    pcre2_jit_stack_free(stack);
  }
};

Matcher::Matcher(const Regex& regex) : regex_(&regex), state_(std::make_unique<State>()) {
  state_->data = pcre2_match_data_create_from_pattern(regex.code_->code, nullptr);
  state_->context = pcre2_match_context_create(nullptr);
  state_->stack = pcre2_jit_stack_create(kJitStackStart, kJitStackMax, nullptr);
  if (state_->data == nullptr || state_->context == nullptr) throw std::bad_alloc();
  if (state_->stack != nullptr) pcre2_jit_stack_assign(state_->context, nullptr, state_->stack);
}

Matcher::~Matcher() = default;
Matcher::Matcher(Matcher&&) noexcept = default;
Matcher& Matcher::operator=(Matcher&&) noexcept = default;

bool Matcher::find(std::string_view subject, std::size_t offset, bool anchored_full) {
  subject_ = subject;
  const std::uint32_t flags = anchored_full ? (PCRE2_ANCHORED | PCRE2_ENDANCHORED) : 0;
  const int rc = pcre2_match(regex_->code_->code, reinterpret_cast<PCRE2_SPTR>(subject.data()),
                             subject.size(), offset, flags, state_->data, state_->context);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) {
    throw ProcessorError("regex '" + regex_->pattern() + "' gave up: " + error_text(rc));
  }
  return true;
}

std::optional<std::string_view> Matcher::group(std::size_t index) const {
  if (index > regex_->capture_count()) return std::nullopt;
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(state_->data);
  const PCRE2_SIZE begin = ovector[2 * index];
  const PCRE2_SIZE finish = ovector[2 * index + 1];
  if (begin == PCRE2_UNSET || finish < begin) return std::nullopt;
  return subject_.substr(begin, finish - begin);
}

std::size_t Matcher::start() const {
  return pcre2_get_ovector_pointer(state_->data)[0];
}

std::size_t Matcher::end() const {
  return pcre2_get_ovector_pointer(state_->data)[1];
}

std::vector<NamedRegex> dynamic_regexes(const ComponentContext& context, RegexOptions options) {
  std::vector<NamedRegex> out;
  for (const auto& [name, pattern] : context.dynamic_properties()) {
    out.push_back({name, Regex::compile(pattern, "dynamic property '" + name + "'", options)});
  }
  return out;
}

std::vector<Matcher> matchers_for(const std::vector<NamedRegex>& regexes) {
  std::vector<Matcher> out;
  out.reserve(regexes.size());
  for (const auto& r : regexes) out.emplace_back(r.regex);
  return out;
}

}  // namespace sluice::standard
