C360.tokens("7261",["rajesh",28,"rajesh",29,"rajesh@yahoo.com",30,"ravi",40,"ravi",41,"ravi.k@inbox.com",42]);
