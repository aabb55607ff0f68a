#include "generate_flow_file.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <random>
#include <string>

#include "sluice/sdk.hpp"
#include "spec_helpers.hpp"

namespace sluice::standard {

namespace {

constexpr std::string_view kSuccess = "success";
// Content is written in pieces of this size, so a large `size` never needs a buffer of that size.
constexpr std::size_t kChunkBytes = std::size_t{64} * 1024;

// Fast, good-enough bytes for test content (not for secrets).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
  }
  void fill(std::string& buf) {
    for (std::size_t i = 0; i < buf.size(); i += 8) {
      std::uint64_t v = next();
      for (std::size_t j = i; j < std::min(i + 8, buf.size()); ++j, v >>= 8U) {
        buf[j] = static_cast<char>(v & 0xffU);
      }
    }
  }

 private:
  std::uint64_t state_;
};

class GenerateFlowFile final : public Processor {
 public:
  void on_schedule(ProcessContext& context) override {
    const std::int64_t count = context.int_property("count");
    const std::int64_t batch = context.int_property("batch_size");
    if (count < 0) throw ProcessorError("count must be 0 (endless) or more, got " + std::to_string(count));
    if (batch < 1) throw ProcessorError("batch_size must be at least 1, got " + std::to_string(batch));
    count_ = static_cast<std::uint64_t>(count);
    batch_ = static_cast<std::uint64_t>(batch);
    size_ = context.size_property("size");
    unique_ = context.bool_property("unique");
    text_ = context.property("text");
    text_expression_ = &context.expression("text");
    // A literal's text (with `$${` unescaped) is the same for every FlowFile: evaluate it once.
    if (text_ && text_expression_->is_literal())
      text_ = text_expression_->evaluate(FlowFileVariables(FlowFile()), {});
    seed_ = std::random_device{}();
    produced_.store(0);  // per run: restarting the processor or the engine starts counting again

    // The shared content: one chunk, repeated up to `size` for every FlowFile.
    shared_chunk_.assign(static_cast<std::size_t>(std::min<std::uint64_t>(size_, kChunkBytes)), '\0');
    SplitMix64(seed_).fill(shared_chunk_);
  }

  void on_trigger(ProcessContext& context, ProcessSession& session) override {
    const std::uint64_t n = reserve();
    if (n == 0) {
      context.yield();  // count reached: nothing more to do this run
      return;
    }
    try {
      SplitMix64 random(seed_ ^ (triggers_.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15ULL));
      std::string unique_chunk;
      const EvaluationEnvironment env = context.environment();
      for (std::uint64_t i = 0; i < n; ++i) {
        FlowFile ff = session.create();
        write_content(session, ff, random, unique_chunk, env);
        session.transfer(ff, kSuccess);
      }
      // Committed here so that `count` counts FlowFiles that really exist.
      session.commit();
    } catch (...) {
      if (count_ != 0) produced_.fetch_sub(n);
      throw;
    }
  }

 private:
  // Claims up to a batch of the remaining count; safe with concurrent triggers.
  std::uint64_t reserve() {
    if (count_ == 0) return batch_;
    std::uint64_t done = produced_.load();
    std::uint64_t n = 0;
    do {
      if (done >= count_) return 0;
      n = std::min(batch_, count_ - done);
    } while (!produced_.compare_exchange_weak(done, done + n));
    return n;
  }

  void write_content(ProcessSession& session, FlowFile& ff, SplitMix64& random, std::string& unique_chunk,
                     const EvaluationEnvironment& env) {
    if (text_) {
      // A literal is written as it is; an expression (`${random()}`, `${now()}`, `${uuid}`) per FlowFile.
      if (text_expression_->is_literal()) {
        if (!text_->empty()) session.write(ff, [&](OutputStream& out) { out.write(*text_); });
        return;
      }
      const std::string text = text_expression_->evaluate(FlowFileVariables(ff), env);
      if (!text.empty()) session.write(ff, [&](OutputStream& out) { out.write(text); });
      return;
    }
    if (size_ == 0) return;
    const std::string* chunk = &shared_chunk_;
    session.write(ff, [&](OutputStream& out) {
      for (std::uint64_t left = size_; left > 0;) {
        if (unique_) {
          unique_chunk.resize(shared_chunk_.size());
          random.fill(unique_chunk);
          chunk = &unique_chunk;
        }
        const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk->size()));
        out.write(std::string_view(*chunk).substr(0, take));
        left -= take;
      }
    });
  }

  std::uint64_t count_ = 0;
  std::uint64_t batch_ = 1;
  std::uint64_t size_ = 0;
  bool unique_ = false;
  std::optional<std::string> text_;
  const Expression* text_expression_ = nullptr;
  std::uint64_t seed_ = 0;
  std::string shared_chunk_;
  std::atomic<std::uint64_t> produced_{0};
  std::atomic<std::uint64_t> triggers_{1};  // seeds unique content differently per trigger
};

ProcessorSpec make_spec() {
  ProcessorSpec s;
  s.type = "GenerateFlowFile";
  s.summary = "Creates FlowFiles with random or fixed content, for testing flows and load.";
  s.description =
      "Creates `batch_size` FlowFiles each time it is triggered, with `size` bytes of random content or with "
      "`text` as content, and sends them to `success`. With `count` set it stops after that many FlowFiles "
      "and yields from then on. The count is kept in memory for the current run only: stopping and starting "
      "the processor, or restarting the engine, starts counting from zero again. Runs on a timer schedule; "
      "its schedule's `batch` does not apply since it takes no input.";
  s.tags = {"test", "load", "generate", "random"};
  s.input = InputRequirement::kForbidden;
  s.properties = {
      optional_property("count", PropertyKind::kInt, "0",
                        "Total number of FlowFiles to generate in this run; 0 generates endlessly."),
      optional_property("size", PropertyKind::kSize, "0 B",
                        "Content size of each FlowFile, e.g. `1 KiB`. Ignored when `text` is set."),
      optional_property("text", PropertyKind::kExpression, std::nullopt,
                        "Content of each FlowFile, used instead of random bytes of `size`: an expression "
                        "evaluated per FlowFile (its attributes are the new FlowFile's core attributes, e.g. "
                        "`${uuid}`; `${now()}` and `${random()}` work), or plain text written as it is."),
      optional_property("unique", PropertyKind::kBool, "false",
                        "When true every FlowFile gets its own random content; when false all FlowFiles of a "
                        "run share the same random bytes, which is much cheaper for large sizes."),
      optional_property("batch_size", PropertyKind::kInt, "1",
                        "Number of FlowFiles created, and committed together, per trigger."),
  };
  s.relationships = {{"success", "Every generated FlowFile."}};
  s.examples = {
      {"1,000 FlowFiles of 1 KiB, 100 per trigger",
       "gen:\n  type: GenerateFlowFile\n  properties: { count: 1000, size: 1 KiB, batch_size: 100 }\n"
       "  schedule: { strategy: timer, period: 10ms }\n"},
      {"A numbered text per FlowFile",
       "gen:\n  type: GenerateFlowFile\n  properties: { count: 10, text: \"reading ${uuid} at ${now()}\" "
       "}\n"}};
  return s;
}

std::unique_ptr<Processor> create() {
  return std::make_unique<GenerateFlowFile>();
}

}  // namespace

const ProcessorDefinition& generate_flow_file_definition() {
  static const ProcessorDefinition kDefinition{make_spec(), &create};
  return kDefinition;
}

}  // namespace sluice::standard
