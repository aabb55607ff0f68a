// The ProcessSession: the only way a processor touches FlowFiles. Every change is provisional until
// commit(), which makes content, FlowFile state and queue moves durable together; rollback() restores the
// inputs to their queues untouched.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/flowfile.hpp"
#include "sluice/stream.hpp"

namespace sluice {

class ProcessSession {
 public:
  virtual ~ProcessSession() = default;

  // Take the next FlowFile from the processor's input queues, or an empty handle.
  virtual FlowFile get() = 0;
  // Take up to max FlowFiles (the processor's `batch` setting is a good max).
  virtual std::vector<FlowFile> get(std::size_t max) = 0;

  virtual FlowFile create() = 0;
  // A child that inherits the parent's attributes (not its content).
  virtual FlowFile create(const FlowFile& parent) = 0;
  // A copy sharing the same content and attributes, with a new uuid.
  virtual FlowFile clone(const FlowFile& original) = 0;

  virtual void read(const FlowFile& ff, const std::function<void(InputStream&)>& reader) = 0;
  // Replaces the content with what the writer writes.
  virtual void write(FlowFile& ff, const std::function<void(OutputStream&)>& writer) = 0;
  virtual void append(FlowFile& ff, const std::function<void(OutputStream&)>& writer) = 0;
  // Efficient whole-file copies in and out of the content repository.
  virtual void import_from(const std::filesystem::path& source, FlowFile& ff) = 0;
  virtual void export_to(const FlowFile& ff, const std::filesystem::path& destination) = 0;

  virtual void put_attribute(FlowFile& ff, std::string_view name, std::string_view value) = 0;
  virtual void remove_attribute(FlowFile& ff, std::string_view name) = 0;

  virtual void transfer(const FlowFile& ff, std::string_view relationship) = 0;
  virtual void remove(const FlowFile& ff) = 0;
  // The FlowFile stays invisible in its next queue until the processor's penalty duration has passed.
  virtual void penalize(FlowFile& ff) = 0;

  virtual void commit() = 0;
  virtual void rollback() = 0;
};

}  // namespace sluice
