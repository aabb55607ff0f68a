// The record arena, Record, and record positions.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "sluice/record_io.hpp"
#include "sluice/record_value.hpp"

namespace sluice {

namespace {
constexpr std::size_t kFirstBlock = std::size_t{16} * 1024;
}

void* RecordArena::allocate(std::size_t bytes, std::size_t align) {
  while (true) {
    if (block_ < blocks_.size()) {
      Block& b = blocks_[block_];
      const std::size_t start = (used_ + align - 1) & ~(align - 1);
      if (start + bytes <= b.size) {
        used_ = start + bytes;
        return b.data.get() + start;
      }
      ++block_;
      used_ = 0;
      continue;
    }
    // Blocks double, so a record that needs much memory once costs few blocks, kept for the next record.
    const std::size_t previous = blocks_.empty() ? kFirstBlock / 2 : blocks_.back().size;
    const std::size_t size = std::max(previous * 2, bytes + align);
    blocks_.push_back(Block{std::make_unique<char[]>(size), size});
    block_ = blocks_.size() - 1;
    used_ = 0;
  }
}

Value* RecordArena::values(std::size_t n) {
  auto* p = static_cast<Value*>(allocate(n * sizeof(Value), alignof(Value)));
  for (std::size_t i = 0; i < n; ++i) new (p + i) Value();
  return p;
}

MapEntry* RecordArena::entries(std::size_t n) {
  auto* p = static_cast<MapEntry*>(allocate(n * sizeof(MapEntry), alignof(MapEntry)));
  for (std::size_t i = 0; i < n; ++i) new (p + i) MapEntry();
  return p;
}

void RecordArena::reset() {
  block_ = 0;
  used_ = 0;
}

void Record::reset(DataTypePtr schema) {
  if (schema != schema_) {
    schema_ = std::move(schema);
    fields_.assign(schema_ ? schema_->fields.size() : 0, Value());
  } else {
    std::fill(fields_.begin(), fields_.end(), Value());
  }
  arena_.reset();
}

void Record::clear() {
  std::fill(fields_.begin(), fields_.end(), Value());
  arena_.reset();
}

const Value* Record::find(std::string_view name) const {
  if (!schema_) return nullptr;
  const int i = schema_->field_index(name);
  return i < 0 ? nullptr : &fields_[static_cast<std::size_t>(i)];
}

std::string describe(const RecordPosition& position) {
  std::string s;
  if (position.line != 0) {
    s = "line " + std::to_string(position.line);
    if (position.column != 0) s += ", column " + std::to_string(position.column);
    s += " (record " + std::to_string(position.record) + ")";
  } else {
    s = "record " + std::to_string(position.record) + " (byte " + std::to_string(position.offset) + ")";
  }
  return s;
}

}  // namespace sluice
