#include "repository/flowfile_checkpoint.hpp"

#include <cerrno>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

#include "util/fs_sync.hpp"

namespace sluice::internal {

namespace fs = std::filesystem;

namespace {
constexpr std::uint8_t kDataChunk = 1;
constexpr std::uint8_t kEndChunk = 2;
constexpr std::uint8_t kStateChunk = 3;
constexpr std::size_t kChunkBytes = 1 << 20;
}  // namespace

void write_checkpoint_file(const fs::path& directory, std::uint64_t valid_from, SnapshotSource& source,
                           const std::function<std::uint64_t()>& max_id) {
  const fs::path tmp = directory / kCheckpointTempFile;
  UniqueFd fd = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC);
  std::string buf = file_header(kCheckpointMagic, valid_from);
  buf.reserve(kChunkBytes + (64 << 10));
  FlowFileEncoder encoder;
  std::uint64_t count = 0;
  std::size_t frame = 0;
  bool open_chunk = false;
  source.for_each([&](std::string_view queue, const FlowFileRecord& record) {
    if (!open_chunk) {
      frame = begin_frame(buf);
      buf.push_back(static_cast<char>(kDataChunk));
      encoder.reset();
      open_chunk = true;
    }
    ByteWriter w(buf);
    encoder.upsert(w, record, queue);
    ++count;
    if (buf.size() >= kChunkBytes) {
      finish_frame(buf, frame);
      write_all(fd.get(), buf, tmp);
      buf.clear();
      open_chunk = false;
    }
  });
  if (open_chunk) finish_frame(buf, frame);
  open_chunk = false;
  source.for_each_state([&](const StateChange& c) {
    if (!open_chunk) {
      frame = begin_frame(buf);
      buf.push_back(static_cast<char>(kStateChunk));
      open_chunk = true;
    }
    ByteWriter w(buf);
    w.string(c.component);
    w.string(c.key);
    w.string(c.value);
    if (buf.size() >= kChunkBytes) {
      finish_frame(buf, frame);
      write_all(fd.get(), buf, tmp);
      buf.clear();
      open_chunk = false;
    }
  });
  if (open_chunk) finish_frame(buf, frame);
  frame = begin_frame(buf);
  ByteWriter w(buf);
  w.u8(kEndChunk);
  w.varint(count);
  w.varint(max_id());
  finish_frame(buf, frame);
  write_all(fd.get(), buf, tmp);
  if (::fsync(fd.get()) != 0) throw_os_error("fsync", tmp, errno);
  fd.reset();
  rename_durable(tmp, directory / kCheckpointFile);
}

CheckpointReader::CheckpointReader(const fs::path& path) : path_(path), file_(path) {
  const std::string_view bytes = file_.bytes();
  if (!parse_file_header(bytes, kCheckpointMagic, valid_from_)) {
    throw std::runtime_error("flowfile checkpoint " + path.string() + ": bad header");
  }
  bool ended = false;
  const std::size_t end = scan_frames(bytes, kFileHeaderSize, [&](std::string_view payload) {
    if (ended) return;
    ByteReader r(payload);
    if (r.u8() != kEndChunk) return;
    flowfiles_ = r.varint();
    max_id_ = r.varint();
    ended = true;
  });
  if (!ended || end != bytes.size()) {
    throw std::runtime_error("flowfile checkpoint " + path.string() + ": damaged at byte " +
                             std::to_string(end));
  }
}

void CheckpointReader::for_each(const std::function<void(DecodedChange&, const FlowFileDecoder&)>& fn) {
  FlowFileDecoder decoder;
  DecodedChange change;
  try {
    scan_frames(file_.bytes(), kFileHeaderSize, [&](std::string_view payload) {
      ByteReader r(payload);
      if (r.u8() != kDataChunk) return;
      decoder.reset();
      while (!r.done()) {
        decoder.next(r, change);
        if (change.remove) throw DecodeError("removal in a checkpoint");
        fn(change, decoder);
      }
    });
  } catch (const DecodeError& e) {
    throw std::runtime_error("flowfile checkpoint " + path_.string() + ": " + e.what());
  }
}

void CheckpointReader::for_each_state(const StateSink& fn) {
  try {
    scan_frames(file_.bytes(), kFileHeaderSize, [&](std::string_view payload) {
      ByteReader r(payload);
      if (r.u8() != kStateChunk) return;
      while (!r.done()) {
        StateChange c;
        c.component = r.string();
        c.key = r.string();
        c.value = r.string();
        fn(c);
      }
    });
  } catch (const DecodeError& e) {
    throw std::runtime_error("flowfile checkpoint " + path_.string() + ": " + e.what());
  }
}

}  // namespace sluice::internal
