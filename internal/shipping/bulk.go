package shipping

import (
	"context"
	"encoding/csv"
	"errors"
	"io"
	"sort"
	"strings"

	"github.com/kaidian/kaidian/internal/errs"
	"github.com/kaidian/kaidian/internal/i18n"
	"github.com/kaidian/kaidian/internal/order"
)

// Row is one line of a bulk shipping file.
type Row struct {
	Line int // in the file, counting from 1, header included
	Input
}

// RowError is what is wrong with one line of a bulk shipping file.
type RowError struct {
	Line    int
	OrderNo string
	Message i18n.Msg // in the reader's language when shown
}

// MaxRows bounds one bulk shipping file.
const MaxRows = 5000

// ParseCSV reads a bulk shipping file: one order_no,carrier,tracking_no
// line per order, with or without a header line (those names, or the
// Chinese 订单号,快递公司,运单号), as saved by Excel (a
// UTF-8 byte-order mark is skipped). Lines that cannot be read are reported
// with the rows that could.
func ParseCSV(r io.Reader) ([]Row, []RowError) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord, cr.TrimLeadingSpace = -1, true
	var rows []Row
	var bad []RowError
	for first := true; ; first = false {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad = append(bad, RowError{Line: pe.StartLine, Message: i18n.M("shipping.csv_unreadable", "cause", pe.Err.Error())})
			continue
		}
		if err != nil {
			return nil, append(bad, RowError{Line: line, Message: i18n.M("shipping.file_unreadable", "cause", err.Error())})
		}
		if first && len(rec) > 0 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			if h := strings.TrimSpace(rec[0]); strings.EqualFold(h, "order_no") || h == "订单号" { // the console shows either header
				continue
			}
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != 3 {
			bad = append(bad, RowError{Line: line, OrderNo: strings.TrimSpace(rec[0]),
				Message: i18n.M("shipping.columns", "columns", len(rec))})
			continue
		}
		rows = append(rows, Row{Line: line, Input: Input{OrderNo: rec[0], Carrier: rec[1], TrackingNo: rec[2]}})
	}
	switch {
	case len(rows) == 0 && len(bad) == 0:
		bad = append(bad, RowError{Message: i18n.M("shipping.file_empty")})
	case len(rows)+len(bad) > MaxRows:
		bad = append(bad, RowError{Message: i18n.M("shipping.file_too_long", "max", MaxRows)})
	}
	return rows, bad
}

// ShipMany ships every row or none: each row is checked first (its fields,
// a repeated order, the order's state and refunds) and every problem is
// reported by line; only a file without problems is applied, in one
// transaction, after which the uploads to WeChat start. If an order
// changed between the check and the write, the whole file is rolled back
// and that line reported.
func (s *Service) ShipMany(ctx context.Context, actor string, rows []Row) ([]Shipment, []RowError, error) {
	bad, err := s.Check(ctx, rows)
	if err != nil || len(bad) > 0 {
		return nil, bad, err
	}
	var out []Shipment
	var failed *RowError
	err = s.db.Tx(ctx, func(ctx context.Context) error {
		out = make([]Shipment, 0, len(rows))
		for _, r := range rows {
			sh, err := s.ship(ctx, actor, r.Input)
			if e := errs.As(err); err != nil && e.Kind != errs.KindInternal {
				failed = &RowError{Line: r.Line, OrderNo: r.OrderNo, Message: i18n.ErrorMsg(e)}
				return err
			}
			if err != nil {
				return err
			}
			out = append(out, sh)
		}
		return nil
	})
	if failed != nil {
		return nil, []RowError{*failed}, nil
	}
	if err != nil {
		return nil, nil, err
	}
	ids := make([]int64, len(out))
	for i, sh := range out {
		ids[i] = sh.ID
	}
	s.schedule(ctx, ids)
	return out, nil, nil
}

// Check validates every row without writing anything, with one query for
// the orders and one for their refunds, so a file whose other lines could
// not be read still has every problem reported at once.
func (s *Service) Check(ctx context.Context, rows []Row) ([]RowError, error) {
	var bad []RowError
	seen := map[string]int{}
	var nos []string
	for i := range rows {
		r := &rows[i]
		if err := r.normalize(); err != nil {
			bad = append(bad, RowError{Line: r.Line, OrderNo: r.OrderNo, Message: i18n.ErrorMsg(err)})
			continue
		}
		if first, dup := seen[r.OrderNo]; dup {
			bad = append(bad, RowError{Line: r.Line, OrderNo: r.OrderNo, Message: i18n.M("shipping.repeated_order", "line", first)})
			continue
		}
		seen[r.OrderNo] = r.Line
		nos = append(nos, r.OrderNo)
	}
	orders, err := s.orders.ByNos(ctx, nos)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(orders))
	for _, o := range orders {
		ids = append(ids, o.ID)
	}
	inFlight, err := s.refunds.RefundsInFlight(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if seen[r.OrderNo] != r.Line {
			continue // already reported
		}
		o, ok := orders[r.OrderNo]
		var msg i18n.Msg
		switch {
		case !ok:
			msg = i18n.ErrorMsg(order.ErrPaymentNotFound)
		case o.Status != order.StatusPaid:
			msg = i18n.M("shipping.not_paid", "status", i18n.M("order.status."+string(o.Status)))
		case refundedInFull(o, max(o.RefundedAmount, inFlight[o.ID])):
			msg = i18n.ErrorMsg(order.ErrRefundedInFull)
		}
		if !msg.IsZero() {
			bad = append(bad, RowError{Line: r.Line, OrderNo: r.OrderNo, Message: msg})
		}
	}
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
	return bad, nil
}
