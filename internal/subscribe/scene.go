package subscribe

import "time"

// Scene names a moment Kaidian tells a shopper about. The set is closed:
// a scene exists only once it is listed in Scenes with the values it
// offers, so the console, the API and the emitters agree on it.
type Scene string

// The scenes. Issue 15 wires the first three; after_sale_update is emitted
// by the returns work, and the last three by the presale, group-buy and
// gift issues.
const (
	OrderPaid         Scene = "order_paid"
	OrderShipped      Scene = "order_shipped"
	RefundResult      Scene = "refund_result"
	AfterSaleUpdate   Scene = "after_sale_update"
	PresaleBalanceDue Scene = "presale_balance_due"
	GroupResult       Scene = "group_result"
	GiftReceived      Scene = "gift_received"
)

// Kind is what sort of value a source is, which decides the template
// keywords it may fill (keyword.go).
type Kind string

// Kinds of source values.
const (
	KindText   Kind = "text"   // free words: a product's title, a carrier's name
	KindCode   Kind = "code"   // an identifier: an order or tracking number
	KindMoney  Kind = "money"  // fen
	KindTime   Kind = "time"   // a moment
	KindPhrase Kind = "phrase" // a short state ("已支付"), a catalog id written in Chinese
	KindCount  Kind = "count"  // a whole number
)

// Source is one Kaidian value a scene offers to a template's keywords.
type Source struct {
	Key  string
	Kind Kind
}

// SceneDef is a scene and the values its events carry. Every event of the
// scene must carry each of them (Emit checks), so any mapping the console
// accepts can be filled.
type SceneDef struct {
	Scene   Scene
	Sources []Source
}

// Scenes is the closed set, in the console's order. A later issue adds its
// scene here (and its name in the subscribe catalogs) and nowhere else.
var Scenes = []SceneDef{
	{OrderPaid, []Source{{"order_no", KindCode}, {"product_name", KindText}, {"pay_amount", KindMoney},
		{"paid_at", KindTime}, {"item_count", KindCount}, {"status", KindPhrase}}},
	{OrderShipped, []Source{{"order_no", KindCode}, {"product_name", KindText}, {"carrier", KindText},
		{"tracking_no", KindCode}, {"shipped_at", KindTime}, {"status", KindPhrase}}},
	{RefundResult, []Source{{"order_no", KindCode}, {"product_name", KindText}, {"refund_amount", KindMoney},
		{"result", KindPhrase}, {"settled_at", KindTime}}},
	{AfterSaleUpdate, []Source{{"order_no", KindCode}, {"product_name", KindText}, {"status", KindPhrase},
		{"note", KindText}, {"updated_at", KindTime}}},
	{PresaleBalanceDue, []Source{{"order_no", KindCode}, {"product_name", KindText}, {"balance_amount", KindMoney},
		{"due_at", KindTime}}},
	{GroupResult, []Source{{"order_no", KindCode}, {"product_name", KindText}, {"result", KindPhrase},
		{"settled_at", KindTime}}},
	{GiftReceived, []Source{{"product_name", KindText}, {"sender", KindText}, {"received_at", KindTime}}},
}

// Def returns a scene's definition; ok is false for a name outside the set.
func Def(s Scene) (SceneDef, bool) {
	for _, d := range Scenes {
		if d.Scene == s {
			return d, true
		}
	}
	return SceneDef{}, false
}

// Source returns the scene's source named key.
func (d SceneDef) Source(key string) (Source, bool) {
	for _, s := range d.Sources {
		if s.Key == key {
			return s, true
		}
	}
	return Source{}, false
}

// Value is one value an event carries, made by Text, Code, Money, At,
// Phrase or Count.
type Value struct {
	kind Kind
	text string // Text, Code, and Phrase (its catalog id)
	fen  int64  // Money, Count
	at   time.Time
}

// Values are an event's values by source key.
type Values map[string]Value

// Text is free words (a title): cut to fit a thing keyword.
func Text(s string) Value { return Value{kind: KindText, text: s} }

// Code is an identifier (an order number).
func Code(s string) Value { return Value{kind: KindCode, text: s} }

// Money is an amount of fen.
func Money(fen int64) Value { return Value{kind: KindMoney, fen: fen} }

// At is a moment.
func At(t time.Time) Value { return Value{kind: KindTime, at: t} }

// Phrase is a short state named by its catalog id ("subscribe.phrase.paid"),
// written in Chinese when the message is built: WeChat's phrase keyword
// takes at most five Chinese characters.
func Phrase(id string) Value { return Value{kind: KindPhrase, text: id} }

// Count is a whole number.
func Count(n int64) Value { return Value{kind: KindCount, fen: n} }
