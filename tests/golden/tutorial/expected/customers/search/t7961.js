C360.tokens("7961",["yahoo",28,"yahoo",40,"yahoo",56]);
