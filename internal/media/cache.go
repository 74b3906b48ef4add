package media

import (
	"bufio"
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// diskCache keeps checked images on disk, one file per URL, under a total
// byte bound: when a new image would pass it, the least recently used
// ones are removed. Each file is a one-line JSON header (type and
// dimensions) and the image bytes, written to a temporary file and
// renamed, so a crash never leaves half an image to serve. The index
// lives in memory and is rebuilt from the files' headers at start, oldest
// file first.
type diskCache struct {
	dir   string
	limit int64

	mu    sync.Mutex
	size  int64
	lru   *list.List // of *entry, most recently used at the front
	index map[string]*list.Element
}

// entry is what the index knows of one cached image.
type entry struct {
	key     string
	Type    string `json:"type"`
	Width   int    `json:"w"`
	Height  int    `json:"h"`
	URL     string `json:"url"`
	size    int64  // the file's size on disk
	modTime time.Time
}

func cacheKey(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

func openCache(dir string, limit int64) (*diskCache, error) {
	c := &diskCache{dir: dir, limit: limit, lru: list.New(), index: map[string]*list.Element{}}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("media: unable to make cache directory: %w", err)
	}
	names, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("media: unable to read cache directory: %w", err)
	}
	var found []*entry
	for _, d := range names {
		name := d.Name()
		if strings.HasPrefix(name, "tmp-") { // left by a crash mid-write
			os.Remove(filepath.Join(dir, name))
			continue
		}
		if len(name) != 64 || !d.Type().IsRegular() {
			continue
		}
		e, err := readHeader(filepath.Join(dir, name))
		if err != nil {
			os.Remove(filepath.Join(dir, name)) // unreadable: refetched when asked for
			continue
		}
		e.key = name
		found = append(found, e)
	}
	sort.Slice(found, func(i, j int) bool { return found[i].modTime.Before(found[j].modTime) })
	for _, e := range found {
		c.index[e.key] = c.lru.PushFront(e)
		c.size += e.size
	}
	c.mu.Lock()
	c.evict("")
	c.mu.Unlock()
	return c, nil
}

func readHeader(path string) (*entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	line, err := bufio.NewReaderSize(io.LimitReader(f, 8<<10), 8<<10).ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("media: cache file %s: no header: %w", path, err)
	}
	e := &entry{size: st.Size(), modTime: st.ModTime()}
	if err := json.Unmarshal(line, e); err != nil {
		return nil, fmt.Errorf("media: cache file %s: %w", path, err)
	}
	return e, nil
}

// lookup returns the index entry for a URL without touching its recency.
func (c *diskCache) lookup(raw string) (*entry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[cacheKey(raw)]
	if !ok {
		return nil, false
	}
	return el.Value.(*entry), true
}

// get returns a cached image and marks it recently used.
func (c *diskCache) get(raw string) (*Image, bool) {
	key := cacheKey(raw)
	c.mu.Lock()
	el, ok := c.index[key]
	if ok {
		c.lru.MoveToFront(el)
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	e := el.Value.(*entry)
	b, err := os.ReadFile(filepath.Join(c.dir, key))
	if err != nil {
		c.remove(key)
		return nil, false
	}
	_, body, found := bytes.Cut(b, []byte{'\n'})
	if !found {
		c.remove(key)
		return nil, false
	}
	return &Image{Body: body, Type: e.Type, Width: e.Width, Height: e.Height, ModTime: e.modTime}, true
}

// put stores a checked image, evicting the least recently used ones to
// stay under the bound. An image larger than the whole bound is served
// but not kept.
func (c *diskCache) put(raw string, img *Image) error {
	e := &entry{key: cacheKey(raw), Type: img.Type, Width: img.Width, Height: img.Height, URL: raw, modTime: img.ModTime}
	head, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("media: cache header: %w", err)
	}
	e.size = int64(len(head)+1) + int64(len(img.Body))
	if e.size > c.limit {
		return nil
	}
	if err := c.write(e.key, head, img.Body); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.index[e.key]; ok {
		c.size -= old.Value.(*entry).size
		c.lru.Remove(old)
	}
	c.index[e.key] = c.lru.PushFront(e)
	c.size += e.size
	c.evict(e.key)
	return nil
}

func (c *diskCache) write(key string, head, body []byte) error {
	f, err := os.CreateTemp(c.dir, "tmp-")
	if err != nil {
		return fmt.Errorf("media: cache write: %w", err)
	}
	_, err = f.Write(append(append(head, '\n'), body...))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(c.dir, key))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("media: cache write: %w", err)
	}
	return nil
}

// evict removes least recently used images until the cache is within its
// bound, sparing keep (the image just stored). c.mu is held.
func (c *diskCache) evict(keep string) {
	for c.size > c.limit {
		el := c.lru.Back()
		if el == nil {
			return
		}
		e := el.Value.(*entry)
		if e.key == keep {
			if el = el.Prev(); el == nil {
				return
			}
			e = el.Value.(*entry)
		}
		c.lru.Remove(el)
		delete(c.index, e.key)
		c.size -= e.size
		// A file that cannot be removed is no longer counted; the next
		// start finds it and evicts it again.
		os.Remove(filepath.Join(c.dir, e.key))
	}
}

func (c *diskCache) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.index[key]; ok {
		c.size -= el.Value.(*entry).size
		c.lru.Remove(el)
		delete(c.index, key)
	}
	os.Remove(filepath.Join(c.dir, key))
}

// usage is the bytes the cache holds on disk, by its index.
func (c *diskCache) usage() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}
