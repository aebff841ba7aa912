package seed

import (
	"fmt"

	"github.com/kaidian/kaidian/internal/catalog"
)

// img is the URL of a demo image served from web/static/demo.
func img(name string) string { return "/static/demo/" + name + ".svg" }

// variants describes a product's SKU grid: every combination of its
// dimensions' values, priced from a base plus per-value surcharges, with
// stock levels taken in turn from stocks (so some SKUs run low or out).
type variants struct {
	code      string // SKU code prefix, unique per product
	dims      []catalog.SpecDim
	price     int64 // fen
	original  int64 // fen
	surcharge map[string]int64
	stocks    []int64
	image     map[string]string // spec value → SKU image
}

func (v variants) skus() []catalog.NewSKU {
	combos := [][]string{{}}
	for _, d := range v.dims {
		var next [][]string
		for _, c := range combos {
			for _, val := range d.Values {
				next = append(next, append(append([]string{}, c...), val))
			}
		}
		combos = next
	}
	out := make([]catalog.NewSKU, len(combos))
	for i, c := range combos {
		k := catalog.NewSKU{Code: fmt.Sprintf("%s-%02d", v.code, i+1), SpecValues: c,
			Price: v.price, OriginalPrice: v.original, Stock: v.stocks[i%len(v.stocks)]}
		for _, val := range c {
			k.Price += v.surcharge[val]
			if v.original > 0 {
				k.OriginalPrice += v.surcharge[val]
			}
			if u, ok := v.image[val]; ok {
				k.Image = u
			}
		}
		out[i] = k
	}
	return out
}

func dim(name string, values ...string) catalog.SpecDim {
	return catalog.SpecDim{Name: name, Values: values}
}

// product builds a demo product; its spec dims come from v.
func product(category, title, subtitle, image string, v variants) demoProduct {
	return demoProduct{category: category, product: catalog.NewProduct{
		Title: title, Subtitle: subtitle, MainImage: img(image), Images: []string{img(image)},
		Description: subtitle + "。演示商品，图片为示意。", SpecDims: v.dims, SKUs: v.skus(),
	}}
}

func demoProducts() []demoProduct {
	sizes := dim("尺码", "S", "M", "L", "XL")
	xl := map[string]int64{"XL": 1000}
	teeImages := map[string]string{"白色": img("tee-white"), "黑色": img("tee-black")}
	return []demoProduct{
		product("T恤", "纯棉圆领短袖T恤 男女同款", "新疆长绒棉，亲肤透气不易变形", "tee-white", variants{
			code: "DEMO-TEE-BASIC", dims: []catalog.SpecDim{dim("颜色", "白色", "黑色"), sizes},
			price: 5900, original: 9900, surcharge: xl, stocks: []int64{120, 86, 64, 3}, image: teeImages}),
		product("T恤", "重磅宽松落肩T恤 260g", "厚实不透，版型挺括", "tee-black", variants{
			code: "DEMO-TEE-HEAVY", dims: []catalog.SpecDim{dim("颜色", "白色", "黑色", "燕麦色"), dim("尺码", "M", "L", "XL")},
			price: 8900, original: 12900, surcharge: xl, stocks: []int64{40, 25, 0, 18}, image: teeImages}),
		product("T恤", "速干运动短袖T恤", "吸湿排汗，跑步健身都合适", "tee-black", variants{
			code: "DEMO-TEE-SPORT", dims: []catalog.SpecDim{dim("颜色", "黑色", "白色"), dim("尺码", "M", "L")},
			price: 4900, stocks: []int64{5, 2, 8, 1}, image: teeImages}),
		product("卫衣", "连帽加绒卫衣 秋冬款", "内里加绒，帽绳可调节", "hoodie", variants{
			code: "DEMO-HOODIE-FLEECE", dims: []catalog.SpecDim{dim("颜色", "墨绿", "灰色"), dim("尺码", "M", "L", "XL")},
			price: 15900, original: 19900, surcharge: xl, stocks: []int64{30, 42, 16}}),
		product("卫衣", "圆领基础款卫衣", "百搭纯色，久洗不起球", "hoodie", variants{
			code: "DEMO-HOODIE-CREW", dims: []catalog.SpecDim{dim("颜色", "灰色", "黑色", "藏青"), dim("尺码", "M", "L")},
			price: 12900, stocks: []int64{55, 60, 12}}),
		product("卫衣", "拉链开衫卫衣", "前襟金属拉链，春秋外搭", "hoodie", variants{
			code: "DEMO-HOODIE-ZIP", dims: []catalog.SpecDim{dim("尺码", "M", "L", "XL")},
			price: 16900, original: 21900, surcharge: xl, stocks: []int64{20, 14, 6}}),
		product("数码配件", "双头Type-C快充数据线", "支持60W快充，编织线身耐弯折", "cable", variants{
			code: "DEMO-CABLE-C2C", dims: []catalog.SpecDim{dim("长度", "1米", "2米")},
			price: 1990, original: 2990, surcharge: map[string]int64{"2米": 500}, stocks: []int64{300, 180}}),
		product("数码配件", "真无线蓝牙耳机 主动降噪版", "双麦降噪，续航30小时", "earbuds", variants{
			code: "DEMO-EARBUDS-ANC", dims: []catalog.SpecDim{dim("颜色", "白色", "黑色")},
			price: 29900, original: 39900, stocks: []int64{45, 4}}),
		product("数码配件", "20000mAh 快充移动电源", "双向快充，可带上飞机", "powerbank", variants{
			code: "DEMO-POWERBANK-20K", price: 12900, original: 15900, stocks: []int64{3}}),
		product("数码配件", "磁吸无线充电器 15W", "对准即吸附，边充边用", "powerbank", variants{
			code: "DEMO-CHARGER-MAG", price: 8900, stocks: []int64{0}}),
		product("数码配件", "桌面可折叠手机支架", "铝合金机身，角度随心调", "cable", variants{
			code: "DEMO-STAND-FOLD", price: 2990, stocks: []int64{150}}),
		product("厨房餐具", "手工粗陶马克杯 350ml", "窑变釉色，每一只都不一样", "mug", variants{
			code: "DEMO-MUG-CLAY", dims: []catalog.SpecDim{dim("颜色", "琥珀黄", "雾蓝", "米白")},
			price: 3900, stocks: []int64{36, 22, 9}}),
		product("厨房餐具", "304不锈钢保温杯 500ml", "12小时保温，一键弹盖", "mug", variants{
			code: "DEMO-BOTTLE-304", price: 6900, original: 8900, stocks: []int64{80}}),
		product("厨房餐具", "天然竹筷 10双装", "无漆无蜡，家用防霉", "candle", variants{
			code: "DEMO-CHOPSTICKS-10", price: 2590, stocks: []int64{200}}),
		product("家纺", "慢回弹记忆棉枕", "贴合颈椎曲线，可拆洗枕套", "pillow", variants{
			code: "DEMO-PILLOW-MEMORY", price: 13900, original: 19900, stocks: []int64{25}}),
		product("家纺", "水洗纯棉四件套", "A类纯棉，越洗越软", "pillow", variants{
			code: "DEMO-BEDDING-SET", dims: []catalog.SpecDim{dim("颜色", "浅灰", "雾紫"), dim("尺寸", "1.5m床", "1.8m床")},
			price: 29900, original: 35900, surcharge: map[string]int64{"1.8m床": 4000}, stocks: []int64{12, 8, 0, 5}}),
		product("家居", "大豆香薰蜡烛 200g", "天然大豆蜡，燃烧约40小时", "candle", variants{
			code: "DEMO-CANDLE-SOY", dims: []catalog.SpecDim{dim("香型", "白茶", "雪松", "无花果")},
			price: 5900, stocks: []int64{28, 17, 33}}),
		product("美妆", "丝绒哑光口红", "轻薄不拔干，持久显色", "lipstick", variants{
			code: "DEMO-LIPSTICK-VELVET", dims: []catalog.SpecDim{dim("色号", "#01 正红", "#02 豆沙", "#03 枫叶棕")},
			price: 12900, original: 15900, stocks: []int64{60, 48, 2}}),
		product("美妆", "玻尿酸保湿面霜 50g", "深层补水，干皮友好", "cream", variants{
			code: "DEMO-CREAM-HA", price: 16900, original: 22900, stocks: []int64{40}}),
		product("美妆", "氨基酸洁面乳 120g", "温和清洁，洗后不紧绷", "cream", variants{
			code: "DEMO-CLEANSER-AA", price: 6900, stocks: []int64{90}}),
		product("美妆", "清透防晒喷雾 SPF50+", "全身可用，不泛白", "cream", variants{
			code: "DEMO-SUNSCREEN-SPRAY", price: 7900, original: 9900, stocks: []int64{2}}),
	}
}
