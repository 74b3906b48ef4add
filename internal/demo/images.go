package demo

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"time"

	"github.com/newsdesk/newsdesk/internal/fetch"
)

// Images answers the media proxy's requests for the demo's images without
// going to the network: the demo must work offline and must not tell the
// outlets that someone runs it. The bundled sets' licences (see NOTICE)
// cover the pages' text and markup as the sets distributed them, not the
// outlets' photographs, which the sets do not include, so no copy of an
// article's image is bundled: each is shown as a neutral placeholder of
// our own, drawn here, in a quiet tint that differs by outlet.
type Images struct{}

// Placeholder size: a 16:9 news photograph's shape, small enough to draw
// in a millisecond.
const placeholderW, placeholderH = 480, 270

// Get implements media.Fetcher: a PNG placeholder for any http(s) URL.
func (Images) Get(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &fetch.Error{Kind: fetch.KindInvalid, URL: req.URL, Err: fmt.Errorf("demo: not an image URL")}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, placeholder(u.Hostname())); err != nil {
		return nil, fmt.Errorf("demo: placeholder: %w", err)
	}
	return &fetch.Response{URL: req.URL, Status: 200, Body: b.Bytes(), ContentType: "image/png", FetchedAt: time.Now()}, nil
}

// placeholder draws a grey-tinted panel with a simple landscape outline
// (a hill and a sun), the usual sign for "a picture goes here".
func placeholder(host string) image.Image {
	h := fnv.New32a()
	h.Write([]byte(host))
	tint := h.Sum32()
	bg := color.RGBA{0xdc + uint8(tint%16), 0xdf + uint8(tint>>4%12), 0xe4 + uint8(tint>>8%12), 0xff}
	fg := color.RGBA{bg.R - 0x38, bg.G - 0x38, bg.B - 0x38, 0xff}
	m := image.NewRGBA(image.Rect(0, 0, placeholderW, placeholderH))
	cx, cy := placeholderW/2, placeholderH/2
	for y := 0; y < placeholderH; y++ {
		for x := 0; x < placeholderW; x++ {
			m.SetRGBA(x, y, pixel(x-cx, y-cy, bg, fg))
		}
	}
	return m
}

// pixel is the colour at (dx, dy) from the centre: inside a frame of
// 120 × 84, a sun at the upper right and a hill rising to the right.
func pixel(dx, dy int, bg, fg color.RGBA) color.RGBA {
	const fw, fh, border = 60, 42, 4
	ax, ay := abs(dx), abs(dy)
	if ax > fw || ay > fh {
		return bg
	}
	if ax > fw-border || ay > fh-border { // the frame
		return fg
	}
	if sx, sy := dx-28, dy+18; sx*sx+sy*sy <= 81 { // the sun
		return fg
	}
	if dy > 20-dx/3 && dy > 8+dx/4 { // the hill
		return fg
	}
	return bg
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
