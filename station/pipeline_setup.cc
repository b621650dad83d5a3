#include "station/pipeline_setup.h"

#include <filesystem>
#include <memory>

#include "ocr/null_ocr_engine.h"
#include "ocr/tesseract_engine.h"
#include "station/interrupt.h"

namespace intake::station {

ocr::OcrEngineFactory MakeEngineFactory(const std::string& languages, bool no_ocr) {
  if (no_ocr) {
    return []() -> Result<std::unique_ptr<ocr::OcrEngine>> {
      return std::unique_ptr<ocr::OcrEngine>(std::make_unique<ocr::NullOcrEngine>());
    };
  }
  ocr::TesseractOptions topts;
  topts.languages = languages;
  return [topts]() -> Result<std::unique_ptr<ocr::OcrEngine>> {
    return ocr::TesseractEngine::Create(topts);
  };
}

void FeedFiles(ocr::PagePipeline& pipe, const std::vector<std::string>& paths,
               const ocr::ImageLoadOptions& load) {
  for (const auto& path : paths) {
    const std::string name = std::filesystem::path(path).filename().string();
    auto reader = ocr::ImageFileReader::Open(path, load);
    if (!reader) {
      pipe.SubmitFailed(name, 0, reader.error());
      continue;
    }
    for (int i = 0; i < reader->page_count(); ++i) {
      if (InterruptRequested()) {
        pipe.Cancel();
        return;
      }
      Result<ocr::PageImage> page = reader->ReadPage(i);
      Result<int> submitted = page ? pipe.Submit(std::move(*page))
                                   : Result<int>(pipe.SubmitFailed(name, i + 1, page.error()));
      if (!submitted) return;  // cancelled
    }
  }
  pipe.Close();
}

}  // namespace intake::station
