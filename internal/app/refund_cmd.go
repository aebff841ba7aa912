package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/kaidian/kaidian/internal/config"
	"github.com/kaidian/kaidian/internal/payment"
)

// actorCLI is who the history says acted when an operator used the command line.
const actorCLI = "operator:cli"

// operator is the command line's authority over refunds: whoever runs it
// holds the server, so no owner limit applies to them.
var operator = payment.Authority{Actor: actorCLI, Owner: true}

// Refunds lets an operator decide shoppers' refund requests and refund
// orders from the command line or a script, as the console does:
//
//	kaidian refunds                           list requests waiting for a decision
//	kaidian refunds approve <id> [restock]    approve one; restock puts its units back on sale
//	kaidian refunds decline <id> <note…>      decline one, telling the shopper why
//	kaidian refunds order <order_no> [fen] [restock]  refund an order (default: all that is left)
//
// The refund is committed here and WeChat Pay asked at once; if that fails
// (in sandbox mode: no Kaidian serving on KAIDIAN_ADDR), a running Kaidian's
// refund sweep submits it.
func Refunds(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, out io.Writer) error {
	a, err := New(ctx, cfg, log, loopbackURL(cfg.Addr))
	if err != nil {
		return err
	}
	defer a.Close()
	if len(args) == 0 {
		reqs, err := a.Payments.PendingRefundRequests(ctx, 100)
		if err != nil {
			return err
		}
		if len(reqs) == 0 {
			fmt.Fprintln(out, "no refund requests waiting")
		}
		for _, r := range reqs {
			fmt.Fprintf(out, "%d\torder %s\t%d of %d fen\t%s\t%s\n", r.ID, r.OrderNo, r.Amount, r.PayAmount,
				r.CreatedAt.Format("2006-01-02 15:04"), r.Reason)
		}
		return nil
	}
	usage := fmt.Errorf("usage: kaidian refunds [approve <id> [restock] | decline <id> <note> | order <order_no> [fen] [restock]]")
	if len(args) < 2 {
		return usage
	}
	restock := args[len(args)-1] == "restock"
	switch args[0] {
	case "approve":
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return usage
		}
		req, err := a.Payments.ApproveRefundRequest(ctx, log, operator, id, restock)
		if err != nil {
			return err
		}
		printRefund(out, *req.Refund)
	case "decline":
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil || len(args) < 3 {
			return usage
		}
		if _, err := a.Payments.DeclineRefundRequest(ctx, operator, id, strings.Join(args[2:], " ")); err != nil {
			return err
		}
		fmt.Fprintf(out, "request %d declined\n", id)
	case "order":
		in := payment.RefundInput{OrderNo: args[1], RestockAll: restock, Actor: actorCLI}
		if len(args) > 2 && args[2] != "restock" {
			if in.Amount, err = strconv.ParseInt(args[2], 10, 64); err != nil || in.Amount <= 0 {
				return fmt.Errorf("refunds: the amount is a positive whole number of fen")
			}
		}
		r, err := a.Payments.Refund(ctx, log, operator, in)
		if err != nil {
			return err
		}
		printRefund(out, r)
	default:
		return usage
	}
	return nil
}

func printRefund(out io.Writer, r payment.Refund) {
	fmt.Fprintf(out, "refund %s: %d fen, %s", r.OutRefundNo, r.Amount, r.Status)
	if r.LastError != "" {
		fmt.Fprintf(out, " (%s; retried by a running Kaidian)", r.LastError)
	}
	fmt.Fprintln(out)
}

// loopbackURL is how a command reaches a Kaidian serving on addr (":8080").
func loopbackURL(addr string) string {
	_, port, ok := strings.Cut(addr, ":")
	if !ok || port == "" {
		port = "8080"
	}
	return "http://127.0.0.1:" + port
}
