//===- ModelFile.cpp - opening model files without reading weights --------===//
//
// The sparse image: walk the file's wire structure with pread through a
// small window (the five message types ModelLoader descends into: Model,
// Graph, Node, Attribute, Tensor), and copy every byte range into a private
// anonymous mapping at its file offset, except the payloads of large tensor
// data fields (raw_data, packed float_data/double_data). ModelLoader skips
// exactly those without reading them, so the image reads the same to it as
// the file. Untouched pages of an anonymous mapping are never allocated:
// resident memory is the graph structure only, whatever the weights weigh,
// and offsets stay 64-bit, so files above 2 GB work as well.
//
//===----------------------------------------------------------------------===//

#include "tfperf/Target/ONNX/ModelFile.h"
#include "ModelLoader.h"

#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

using namespace mlir;
using namespace mlir::tfperf;

namespace {

/// Smaller binary files are read whole: a sparse image saves nothing.
constexpr uint64_t kSparseImageMinFile = 1 << 20;
/// Read window for field headers.
constexpr uint64_t kWindowSize = 64 * 1024;
/// Message nesting (Graph/Node/Attribute per subgraph level); ModelLoader
/// rejects deeper models itself, from the whole-file fallback.
constexpr unsigned kMaxDepth = 4 * 64 + 8;

/// A private anonymous mapping exposed as a MemoryBuffer.
class SparseImageBuffer final : public llvm::MemoryBuffer {
public:
  SparseImageBuffer(char *base, size_t size, llvm::StringRef name)
      : base(base), size(size), name(name.str()) {
    init(base, base + size, /*RequiresNullTerminator=*/false);
  }
  ~SparseImageBuffer() override { ::munmap(base, size); }
  llvm::StringRef getBufferIdentifier() const override { return name; }
  BufferKind getBufferKind() const override { return MemoryBuffer_MMap; }

private:
  char *base;
  size_t size;
  std::string name;
};

enum class Kind { Model, Graph, Node, Attribute, Tensor };

class ImageBuilder {
public:
  ImageBuilder(int fd, uint64_t fileSize, char *image)
      : fd(fd), fileSize(fileSize), image(image), window(new char[kWindowSize]) {}

  /// False on an I/O error or a malformed wire structure.
  bool build() { return message(0, fileSize, Kind::Model, 0) && flush(); }

  std::string ioError;

private:
  bool readAt(char *dst, uint64_t n, uint64_t off) {
    while (n) {
      ssize_t got = ::pread(fd, dst, n, static_cast<off_t>(off));
      if (got < 0 && errno == EINTR)
        continue;
      if (got <= 0) {
        ioError = got < 0 ? std::strerror(errno) : "unexpected end of file";
        return false;
      }
      dst += got;
      off += got;
      n -= got;
    }
    return true;
  }

  bool byteAt(uint64_t off, uint8_t &b) {
    if (off < winBegin || off >= winEnd) {
      if (off >= fileSize)
        return false;
      uint64_t n = std::min(kWindowSize, fileSize - off);
      if (!readAt(window.get(), n, off))
        return false;
      winBegin = off;
      winEnd = off + n;
    }
    b = static_cast<uint8_t>(window[off - winBegin]);
    return true;
  }

  bool varint(uint64_t &off, uint64_t end, uint64_t &v) {
    return onnximport::decodeVarint(
        [&](uint8_t &b) { return off < end && byteAt(off++, b); }, v);
  }

  /// Marks [b, e) for copying; adjacent ranges become one pread.
  bool want(uint64_t b, uint64_t e) {
    if (b == pendingEnd) {
      pendingEnd = e;
      return true;
    }
    if (!flush())
      return false;
    pendingBegin = b;
    pendingEnd = e;
    return true;
  }

  bool flush() {
    bool ok = pendingEnd == pendingBegin ||
              readAt(image + pendingBegin, pendingEnd - pendingBegin,
                     pendingBegin);
    pendingBegin = pendingEnd = 0;
    return ok;
  }

  /// The message type of field `number` of a `k` message, when ModelLoader
  /// walks into it.
  static bool subMessage(Kind k, uint32_t number, Kind &sub) {
    switch (k) {
    case Kind::Model:
      sub = Kind::Graph;
      return number == 7;
    case Kind::Graph:
      sub = number == 1 ? Kind::Node : Kind::Tensor;
      return number == 1 || number == 5;
    case Kind::Node:
      sub = Kind::Attribute;
      return number == 5;
    case Kind::Attribute:
      sub = (number == 5 || number == 10) ? Kind::Tensor : Kind::Graph;
      return number == 5 || number == 10 || number == 6 || number == 11;
    case Kind::Tensor:
      return false;
    }
    return false;
  }

  bool message(uint64_t b, uint64_t e, Kind k, unsigned depth) {
    if (depth > kMaxDepth)
      return false;
    uint64_t off = b;
    while (off < e) {
      uint64_t fieldBegin = off, tag, v;
      if (!varint(off, e, tag) || (tag >> 3) == 0)
        return false;
      uint32_t number = static_cast<uint32_t>(tag >> 3);
      switch (tag & 7) {
      case 0:
        if (!varint(off, e, v))
          return false;
        break;
      case 1:
      case 5: {
        uint64_t n = (tag & 7) == 1 ? 8 : 4;
        if (e - off < n)
          return false;
        off += n;
        break;
      }
      case 2: {
        uint64_t len;
        if (!varint(off, e, len) || len > e - off)
          return false;
        Kind sub;
        if (subMessage(k, number, sub)) {
          if (!want(fieldBegin, off) ||
              !message(off, off + len, sub, depth + 1))
            return false;
          off += len;
          continue;
        }
        // raw_data, float_data, double_data: ModelLoader skips these
        // unread unless the tensor is tiny.
        if (k == Kind::Tensor && (number == 9 || number == 4 || number == 10) &&
            len >= kSparseImageMinHole) {
          if (!want(fieldBegin, off))
            return false;
          off += len;
          continue;
        }
        off += len;
        break;
      }
      default:
        return false;
      }
      if (!want(fieldBegin, off))
        return false;
    }
    return true;
  }

  int fd;
  uint64_t fileSize;
  char *image;
  std::unique_ptr<char[]> window;
  uint64_t winBegin = 0, winEnd = 0;
  uint64_t pendingBegin = 0, pendingEnd = 0;
};

} // namespace

std::unique_ptr<llvm::MemoryBuffer>
mlir::tfperf::readSparseModelImage(llvm::StringRef fileName,
                                   std::string *errorMessage) {
  auto fail = [&](const std::string &why) {
    if (errorMessage)
      *errorMessage = why;
    return nullptr;
  };
  llvm::SmallString<256> path(fileName);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return fail("cannot open input file '" + fileName.str() +
                "': " + std::strerror(errno));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  uint64_t size;
  if (llvm::sys::fs::file_size(fileName, size) || size == 0)
    return fail("cannot size input file '" + fileName.str() + "'");
  // Only the pages pread writes to are ever allocated.
  void *base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED)
    return fail("cannot map " + std::to_string(size) + " bytes");
  auto buffer = std::make_unique<SparseImageBuffer>(static_cast<char *>(base),
                                                    size, fileName);
  ImageBuilder builder(fd, size, static_cast<char *>(base));
  if (!builder.build())
    return fail(builder.ioError.empty()
                    ? "malformed protobuf wire structure"
                    : "cannot read '" + fileName.str() + "': " + builder.ioError);
  // Read-only from here on, as a file mapping would be.
  ::mprotect(base, size, PROT_READ);
  return buffer;
}

std::unique_ptr<llvm::MemoryBuffer>
mlir::tfperf::openToolInput(llvm::StringRef fileName,
                            std::string *errorMessage) {
  if (fileName == "-" || !onnximport::isBinaryModelName(fileName))
    return openInputFile(fileName, errorMessage);
  uint64_t size;
  if (!llvm::sys::fs::file_size(fileName, size) && size >= kSparseImageMinFile)
    if (auto image = readSparseModelImage(fileName, nullptr))
      return image;
  // Whole file, memory-mapped. openInputFile would want a NUL terminator,
  // which makes LLVM read files whose size is a multiple of the page size
  // into the heap instead.
  auto fileOrErr = llvm::MemoryBuffer::getFile(
      fileName, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!fileOrErr) {
    if (errorMessage)
      *errorMessage = "cannot open input file '" + fileName.str() +
                      "': " + fileOrErr.getError().message();
    return nullptr;
  }
  return std::move(*fileOrErr);
}
