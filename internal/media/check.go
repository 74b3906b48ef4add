package media

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // decoders for image.DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"net/http"

	_ "golang.org/x/image/webp"
)

// rasterTypes are the types the proxy serves: what http.DetectContentType
// sniffs, mapped to the format name image.DecodeConfig reports. SVG is
// refused, not sanitised: it is a document that can carry script and
// external references, and a sanitiser for it is a large attack surface
// for little gain (news images are photographs). AVIF and others are
// refused because their dimensions cannot be checked here.
var rasterTypes = map[string]string{
	"image/jpeg": "jpeg",
	"image/png":  "png",
	"image/gif":  "gif",
	"image/webp": "webp",
}

// check sniffs body and reads its dimensions without decoding the pixels,
// refusing what is not a raster image we serve or has more than maxPixels
// pixels (a decompression bomb: a few kB that decode to gigabytes).
func check(body []byte, maxPixels int64) (contentType string, w, h int, err error) {
	contentType = http.DetectContentType(body)
	format, ok := rasterTypes[contentType]
	if !ok {
		return "", 0, 0, fmt.Errorf("%w: content sniffs as %s", ErrNotImage, contentType)
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil {
		return "", 0, 0, fmt.Errorf("%w: %s header: %v", ErrNotImage, format, err)
	}
	if got != format {
		return "", 0, 0, fmt.Errorf("%w: sniffed %s but decodes as %s", ErrNotImage, format, got)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return "", 0, 0, fmt.Errorf("%w: %dx%d", ErrNotImage, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxPixels {
		return "", 0, 0, fmt.Errorf("%w: %dx%d is over %d pixels", ErrTooManyPixels, cfg.Width, cfg.Height, maxPixels)
	}
	return contentType, cfg.Width, cfg.Height, nil
}
