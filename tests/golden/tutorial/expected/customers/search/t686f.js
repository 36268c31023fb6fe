C360.tokens("686f",["hotmail",16]);
