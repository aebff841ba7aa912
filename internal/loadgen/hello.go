package loadgen

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// Baseline serves a bare gin hello-world (GET / → 200 "hello") on ln until
// ctx ends: the same HTTP stack as Kaidian with nothing behind it, on the
// same machine, so each figure can be given as a share of what the stack
// alone can do. No middleware, no logging, release mode.
func Baseline(ctx context.Context, ln net.Listener, log io.Writer) error {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, "hello") })
	srv := &http.Server{Handler: r, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if log != nil {
		io.WriteString(log, "baseline hello-world on http://"+ln.Addr().String()+"/ (Ctrl-C stops it)\n")
	}
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// hello loads GET / of the targets (a Baseline server): the ceiling every
// other figure is a ratio to.
func (l *load) hello(ctx context.Context, r *Report) error {
	r.Shoppers = 0
	rec := newRecorder()
	b := l.newBudget()
	start := time.Now()
	l.drive(ctx, b, rec, func(i int64) (string, answer) {
		return "hello", l.cl.do(ctx, "GET", l.target(int(i))+"/", "", nil, false)
	})
	r.finish(rec, time.Since(start), "hello")
	r.check("hello answered 200", r.Total.Count > 0 && len(r.Total.Answers) == 0,
		"%d requests, %d not 200 %v", r.Total.Count, sum(r.Total.Answers), r.Total.Answers)
	return nil
}
