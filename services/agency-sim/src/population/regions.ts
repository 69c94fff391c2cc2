/**
 * Where the synthetic population lives: real county-level division codes (GB/T 2260) of a dozen cities,
 * each city with the institutions that serve it (不动产登记中心 REC-<city>, 公积金中心 PF-<city>,
 * 公安局 PSB-<city>) and its plate prefixes. Chengdu carries the most districts, since the demo courts are
 * Chengdu's (川0104 …).
 */

export interface City {
  /** City-level division code, e.g. 510100; municipalities use the province code (110000). */
  code: string;
  province: string;
  /** Province abbreviation on certificates and plates (川, 京 …). */
  short: string;
  name: string;
  /** Letters after the province character on its plates (川A, 京A/B/C …). */
  plateLetters: string;
  districts: readonly (readonly [code: string, name: string])[];
  streets: readonly string[];
}

export const CITIES: readonly City[] = [
  {
    code: '510100',
    province: '四川省',
    short: '川',
    name: '成都市',
    plateLetters: 'AG',
    districts: [
      ['510104', '锦江区'],
      ['510105', '青羊区'],
      ['510106', '金牛区'],
      ['510107', '武侯区'],
      ['510108', '成华区'],
      ['510112', '龙泉驿区'],
      ['510113', '青白江区'],
      ['510114', '新都区'],
      ['510115', '温江区'],
      ['510116', '双流区'],
      ['510117', '郫都区'],
    ],
    streets: [
      '春熙路',
      '人民南路',
      '蜀都大道',
      '红星路',
      '一环路南三段',
      '天府大道北段',
      '玉林北路',
      '建设路',
      '府青路',
      '光华大道',
    ],
  },
  {
    code: '110000',
    province: '',
    short: '京',
    name: '北京市',
    plateLetters: 'ABCEFGHJKLMNPQ',
    districts: [
      ['110101', '东城区'],
      ['110102', '西城区'],
      ['110105', '朝阳区'],
      ['110106', '丰台区'],
      ['110107', '石景山区'],
      ['110108', '海淀区'],
      ['110112', '通州区'],
      ['110114', '昌平区'],
    ],
    streets: [
      '长安街',
      '建国路',
      '朝阳北路',
      '中关村大街',
      '学院路',
      '西直门外大街',
      '望京街',
      '丰台路',
      '新华大街',
    ],
  },
  {
    code: '440300',
    province: '广东省',
    short: '粤',
    name: '深圳市',
    plateLetters: 'B',
    districts: [
      ['440303', '罗湖区'],
      ['440304', '福田区'],
      ['440305', '南山区'],
      ['440306', '宝安区'],
      ['440307', '龙岗区'],
      ['440309', '龙华区'],
    ],
    streets: ['深南大道', '滨海大道', '科技园路', '宝安大道', '龙岗大道', '人民南路', '华强北路', '前海路'],
  },
  {
    code: '310000',
    province: '',
    short: '沪',
    name: '上海市',
    plateLetters: 'ABCDEFGHJK',
    districts: [
      ['310101', '黄浦区'],
      ['310104', '徐汇区'],
      ['310105', '长宁区'],
      ['310115', '浦东新区'],
    ],
    streets: ['南京东路', '淮海中路', '世纪大道', '漕溪北路', '延安西路', '张杨路'],
  },
  {
    code: '440100',
    province: '广东省',
    short: '粤',
    name: '广州市',
    plateLetters: 'A',
    districts: [
      ['440103', '荔湾区'],
      ['440104', '越秀区'],
      ['440106', '天河区'],
    ],
    streets: ['中山五路', '天河路', '环市东路', '黄埔大道', '东风中路'],
  },
  {
    code: '500000',
    province: '',
    short: '渝',
    name: '重庆市',
    plateLetters: 'ABCD',
    districts: [
      ['500103', '渝中区'],
      ['500105', '江北区'],
      ['500106', '沙坪坝区'],
    ],
    streets: ['解放碑步行街', '民族路', '北城天街', '小龙坎正街', '建新北路'],
  },
  {
    code: '330100',
    province: '浙江省',
    short: '浙',
    name: '杭州市',
    plateLetters: 'A',
    districts: [
      ['330102', '上城区'],
      ['330106', '西湖区'],
    ],
    streets: ['延安路', '文三路', '西湖大道', '天目山路'],
  },
  {
    code: '420100',
    province: '湖北省',
    short: '鄂',
    name: '武汉市',
    plateLetters: 'A',
    districts: [
      ['420102', '江岸区'],
      ['420106', '武昌区'],
    ],
    streets: ['中山大道', '解放大道', '中南路', '武珞路'],
  },
  {
    code: '610100',
    province: '陕西省',
    short: '陕',
    name: '西安市',
    plateLetters: 'A',
    districts: [['610113', '雁塔区']],
    streets: ['长安南路', '小寨东路', '雁塔路'],
  },
  {
    code: '320100',
    province: '江苏省',
    short: '苏',
    name: '南京市',
    plateLetters: 'A',
    districts: [
      ['320102', '玄武区'],
      ['320106', '鼓楼区'],
    ],
    streets: ['中山路', '北京东路', '中央路'],
  },
  {
    code: '510700',
    province: '四川省',
    short: '川',
    name: '绵阳市',
    plateLetters: 'B',
    districts: [['510703', '涪城区']],
    streets: ['临园路', '长虹大道'],
  },
  {
    code: '511300',
    province: '四川省',
    short: '川',
    name: '南充市',
    plateLetters: 'R',
    districts: [['511302', '顺庆区']],
    streets: ['人民中路', '模范街'],
  },
];

export interface Region {
  code: string;
  name: string;
  city: City;
}

/** Every district, in a fixed order: a person's region is an index into this list. */
export const REGIONS: readonly Region[] = CITIES.flatMap((city) =>
  city.districts.map(([code, name]) => ({ code, name, city })),
);

const REGION_INDEX = new Map(REGIONS.map((r, i) => [r.code, i]));
const CITY_BY_CODE = new Map(CITIES.map((c) => [c.code, c]));

export function regionIndexOf(code: string): number | undefined {
  return REGION_INDEX.get(code);
}

export function cityByCode(code: string): City | undefined {
  return CITY_BY_CODE.get(code);
}

/** The city an institution code serves: `REC-510100`, `PF-510100`, `PSB-510100` → 成都市. */
export function cityOfInstitution(institution: string): City | undefined {
  const m = /^(?:REC|PF|PSB)-(\d{6})$/.exec(institution);
  return m ? cityByCode(m[1]!) : undefined;
}

/** `四川省成都市锦江区` (municipalities have no province part). */
export function regionLabel(region: Region): string {
  return region.city.province + region.city.name + region.name;
}
