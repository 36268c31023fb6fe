C360.tokens("6a61",["jaipur",44]);
