package webextest

import (
	"strconv"
	"strings"
	"testing"
)

// BenchmarkInlineHTML renders a message the size of the designate's (about 3 KB, words and
// links) and one of the largest Webex accepts (7,439 bytes): the time per byte must not grow
// with the length (it did while autolinks were looked for by lowering the whole rest of the
// message at every word).
func BenchmarkInlineHTML(b *testing.B) {
	word := "Rejoignez la rencontre avec **le lien** https://exemple.webex.com/j.php?MTID=m1 ou [ici](https://exemple.webex.com) &amp; "
	for _, size := range []int{3000, 7439} {
		md := strings.Repeat(word, size/len(word)+1)[:size]
		b.Run(strconv.Itoa(size)+"B", func(b *testing.B) {
			b.SetBytes(int64(len(md)))
			var all bool
			for b.Loop() {
				_ = inlineHTML(md, &all)
			}
		})
	}
}
