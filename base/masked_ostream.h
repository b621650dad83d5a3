// An output stream that masks CPR numbers before they reach the stream it wraps.
//
// The station's error stream (and any other text channel that must never show a CPR)
// is wrapped in one: text is collected per line and passed through MaskCpr at each
// line end ('\n', or '\r' for a progress line that overwrites itself) or destruction, so
// a CPR split across several << calls is still masked. A flush passes on only whole lines.
//
// Thread-safety: like std::ostream, one thread at a time.
#ifndef INTAKE_BASE_MASKED_OSTREAM_H_
#define INTAKE_BASE_MASKED_OSTREAM_H_

#include <ostream>
#include <streambuf>
#include <string>

namespace intake {

class MaskingStreamBuf : public std::streambuf {
 public:
  // `target` must outlive this object.
  explicit MaskingStreamBuf(std::ostream& target) : target_(target) {}
  ~MaskingStreamBuf() override { FlushLine(); }
  MaskingStreamBuf(const MaskingStreamBuf&) = delete;
  MaskingStreamBuf& operator=(const MaskingStreamBuf&) = delete;

 protected:
  int_type overflow(int_type ch) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void FlushLine();

  std::ostream& target_;
  std::string line_;
};

class MaskedOstream : public std::ostream {
 public:
  // `target` must outlive this object.
  explicit MaskedOstream(std::ostream& target) : std::ostream(nullptr), buf_(target) {
    rdbuf(&buf_);
  }

 private:
  MaskingStreamBuf buf_;
};

}  // namespace intake

#endif  // INTAKE_BASE_MASKED_OSTREAM_H_
