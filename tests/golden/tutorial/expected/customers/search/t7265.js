C360.tokens("7265",["rediffmail",24]);
