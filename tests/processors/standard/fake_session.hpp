// An in-memory ProcessSession and ProcessContext for driving one processor in a test: FlowFiles are real
// engine records, content is a string per record, and everything a processor does is recorded.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/flowfile_record.hpp"
#include "sluice/sdk.hpp"

namespace sluice::testing {

class FakeContext final : public ProcessContext {
 public:
  explicit FakeContext(const ProcessorDefinition& definition) : spec_(definition.spec) {}

  std::map<std::string, std::string> properties;
  mutable std::vector<std::pair<LogLevel, std::string>> logs;
  int yields = 0;
  std::size_t batch = 1000;
  std::int64_t now = 1'700'000'000'000;

  [[nodiscard]] const std::string& id() const override { return id_; }
  [[nodiscard]] const Expression& expression(std::string_view name) const override {
    auto it = expressions_.find(std::string(name));
    if (it == expressions_.end())
      it = expressions_.emplace(name, Expression::compile(property(name).value_or(""))).first;
    return it->second;
  }
  [[nodiscard]] ControllerService& service_base(std::string_view name) const override {
    throw ProcessorError("no service for " + std::string(name));
  }
  [[nodiscard]] const ProcessorSpec& spec() const override { return spec_; }
  [[nodiscard]] std::optional<std::string> property(std::string_view name) const override {
    if (auto it = properties.find(std::string(name)); it != properties.end()) return it->second;
    if (const auto* p = spec_.find_property(name)) return p->default_value;
    return std::nullopt;
  }
  [[nodiscard]] std::vector<std::pair<std::string, std::string>> dynamic_properties() const override {
    return {};
  }
  [[nodiscard]] bool is_connected(std::string_view /*relationship*/) const override { return true; }
  [[nodiscard]] std::int64_t now_ms() const override { return now; }
  [[nodiscard]] std::size_t batch_size() const override { return batch; }
  void yield() override { ++yields; }
  [[nodiscard]] bool output_full() const override { return false; }
  [[nodiscard]] bool log_enabled(LogLevel /*level*/) const override { return true; }
  void log(LogLevel level, std::string_view message) const override { logs.emplace_back(level, message); }

 private:
  std::string id_ = "test-processor";
  mutable std::map<std::string, Expression, std::less<>> expressions_;
  const ProcessorSpec& spec_;
};

class FakeSession final : public ProcessSession {
 public:
  struct Entry {
    internal::FlowFileRecord record;
    std::string content;
    std::string relationship;  // empty: not transferred
    bool removed = false;
    bool penalized = false;
  };

  // What the processor did, by FlowFile.
  std::deque<Entry> entries;
  std::deque<FlowFile> input;
  int commits = 0;
  // Called at commit time, before it counts: lets a test check what must (not) have happened yet.
  std::function<void()> on_commit;
  // Called before each import_from: lets a test make a file vanish in between.
  std::function<void(const std::filesystem::path&)> before_import;
  // Called after export_to wrote its file: lets a test fail an export half-way.
  std::function<void(const std::filesystem::path&)> after_export;

  FlowFile enqueue(const std::string& content, const std::map<std::string, std::string>& attributes = {}) {
    FlowFile ff = create();
    set_content(ff, content);
    for (const auto& [k, v] : attributes) put_attribute(ff, k, v);
    input.push_back(ff);
    return ff;
  }

  [[nodiscard]] std::vector<const Entry*> transferred_to(std::string_view relationship) const {
    std::vector<const Entry*> out;
    for (const auto& e : entries) {
      if (e.relationship == relationship && !e.removed) out.push_back(&e);
    }
    return out;
  }
  static std::string attribute(const Entry& e, std::string_view name) {
    auto v = FlowFile(const_cast<internal::FlowFileRecord*>(&e.record)).attribute(name);
    return v ? v->str() : std::string("<unset>");
  }

  FlowFile get() override {
    auto batch = get(1);
    return batch.empty() ? FlowFile() : batch.front();
  }
  std::vector<FlowFile> get(std::size_t max) override {
    std::vector<FlowFile> out;
    while (!input.empty() && out.size() < max) {
      out.push_back(input.front());
      input.pop_front();
    }
    return out;
  }
  FlowFile create() override {
    Entry& e = entries.emplace_back();
    e.record.uuid = internal::random_uuid();
    e.record.id = entries.size();
    return FlowFile(&e.record);
  }
  FlowFile create(const FlowFile& parent) override {
    FlowFile child = create();
    child.record()->attributes = parent.record()->attributes;
    return child;
  }
  FlowFile clone(const FlowFile& original) override {
    FlowFile copy = create(original);
    set_content(copy, entry(original).content);
    return copy;
  }

  void read(const FlowFile& ff, const std::function<void(InputStream&)>& reader) override {
    StringInput in(entry(ff).content);
    reader(in);
  }
  void write(FlowFile& ff, const std::function<void(OutputStream&)>& writer) override {
    StringOutput out;
    writer(out);
    set_content(ff, out.text);
  }
  void append(FlowFile& ff, const std::function<void(OutputStream&)>& writer) override {
    StringOutput out;
    writer(out);
    set_content(ff, entry(ff).content + out.text);
  }
  void import_from(const std::filesystem::path& source, FlowFile& ff) override {
    if (before_import) before_import(source);
    std::ifstream in(source, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + source.string());
    std::ostringstream s;
    s << in.rdbuf();
    set_content(ff, s.str());
  }
  void export_to(const FlowFile& ff, const std::filesystem::path& destination) override {
    std::ofstream out(destination, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot create " + destination.string());
    out << entry(ff).content;
    if (!out.flush()) throw std::runtime_error("cannot write " + destination.string());
    if (after_export) after_export(destination);
  }

  void put_attribute(FlowFile& ff, std::string_view name, std::string_view value) override {
    ff.record()->attributes.put(name, value);
  }
  void remove_attribute(FlowFile& ff, std::string_view name) override {
    ff.record()->attributes.remove(name);
  }
  void transfer(const FlowFile& ff, std::string_view relationship) override {
    entry(ff).relationship = relationship;
  }
  void remove(const FlowFile& ff) override { entry(ff).removed = true; }
  void penalize(FlowFile& ff) override { entry(ff).penalized = true; }
  void commit() override {
    if (on_commit) on_commit();
    ++commits;
  }
  void rollback() override {}
  void report(const FlowFile& /*ff*/, ReportedEvent /*type*/, std::string_view /*uri*/,
              std::string_view /*details*/) override {}
  std::map<std::string, std::string, std::less<>> state;
  std::optional<std::string> get_state(std::string_view key) override {
    auto it = state.find(key);
    return it == state.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  void set_state(std::string_view key, std::string_view value) override { state[std::string(key)] = value; }
  void remove_state(std::string_view key) override { state.erase(std::string(key)); }
  void for_each_state(const std::function<void(std::string_view, std::string_view)>& fn) override {
    for (const auto& [k, v] : state) fn(k, v);
  }

 private:
  struct StringInput final : InputStream {
    explicit StringInput(std::string_view s) : rest(s) {}
    std::size_t read(std::span<char> buf) override {
      const std::size_t n = std::min(buf.size(), rest.size());
      std::copy_n(rest.data(), n, buf.data());
      rest.remove_prefix(n);
      return n;
    }
    std::string_view view() override { return rest; }
    [[nodiscard]] std::uint64_t size() const override { return rest.size(); }
    std::string_view rest;
  };
  struct StringOutput final : OutputStream {
    void write(std::string_view bytes) override { text += bytes; }
    [[nodiscard]] std::uint64_t written() const override { return text.size(); }
    std::string text;
  };

  Entry& entry(const FlowFile& ff) {
    for (auto& e : entries) {
      if (&e.record == ff.record()) return e;
    }
    throw std::logic_error("FlowFile not from this session");
  }
  void set_content(const FlowFile& ff, std::string content) {
    Entry& e = entry(ff);
    e.content = std::move(content);
    e.record.content.length = e.content.size();  // FlowFile::size() reads the claim's length
  }
};

}  // namespace sluice::testing
