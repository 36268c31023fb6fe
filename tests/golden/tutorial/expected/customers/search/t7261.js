C360.tokens("7261",["rajesh",28,"rajesh",29,"rajesh@yahoo.com",30,"ravi",4,"ravi",5,"ravi.k@inbox.com",6]);
